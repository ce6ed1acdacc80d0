import type { ApiDefinition, ApiRoute, MockRule } from '../api-definition.ts';
import { RouteTable, type RouteTemplate } from '../route-table.ts';
import { sampleFromSchema } from './schema-sample.ts';

/**
 * The gateway's mock: what an API answers when its mock is enabled, or when a sandbox caller calls an
 * API without a sandbox upstream. In order:
 *
 * 1. the most specific matching mock rule, answered as written;
 * 2. else the matching route, when it declares a `responseSchema`: 200 with a sample generated from
 *    it (and checked against it);
 * 3. else `undefined`, also when the route has no schema or no valid sample could be generated: the
 *    gateway then answers 404 `not-found` ("no mock for this route") rather than an answer that breaks
 *    the API's contract.
 *
 * The route is the one the gateway itself would pick (all of the API's routes take part), so a
 * schema is never borrowed from a less specific route. HEAD is answered as GET would be, with the
 * same headers and an empty body; rules and routes declared for HEAD itself come first. Every answer
 * carries `x-portico-mock: true`. Pure: no I/O.
 */
export interface MockAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export const MOCK_HEADER = 'x-portico-mock';

const JSON_CONTENT_TYPE = 'application/json';

/** A copy of a rule or route filed under HEAD, pointing back at what it was made from. */
interface HeadEntry<E extends RouteTemplate> extends RouteTemplate {
  entry: E;
}

/** Looks up rules or routes by method and path, answering HEAD from HEAD, then GET, then ANY entries. */
class MethodPathTable<E extends RouteTemplate> {
  private readonly table: RouteTable<E>;
  private readonly headTable: RouteTable<HeadEntry<E>>;

  constructor(entries: readonly E[]) {
    this.table = new RouteTable(entries);
    // Ties on path specificity and exactness keep list order: explicit HEAD entries before GET ones.
    const asHead = (method: string) =>
      entries
        .filter((e) => e.method === method)
        .map((entry) => ({ method: 'HEAD', path: entry.path, entry }));
    const anyMethod = entries.filter((e) => e.method === 'ANY').map((entry) => ({ ...entry, entry }));
    this.headTable = new RouteTable([...asHead('HEAD'), ...asHead('GET'), ...anyMethod]);
  }

  match(method: string, path: string): E | undefined {
    if (method === 'HEAD') return this.headTable.match(method, path)?.route.entry;
    return this.table.match(method, path)?.route;
  }
}

export class MockResponder {
  private readonly rules: MethodPathTable<MockRule>;
  private readonly routes: MethodPathTable<ApiRoute>;

  constructor(
    api: ApiDefinition,
    private readonly random: () => number = Math.random,
  ) {
    this.rules = new MethodPathTable(api.mock?.rules ?? []);
    this.routes = new MethodPathTable(api.routes ?? []);
  }

  /** `path` is the path below `/apis/{name}`, still percent-encoded: `/orders/42`, or empty. */
  answer(method: string, path: string): MockAnswer | undefined {
    const answer = this.ruleAnswer(method, path) ?? this.schemaAnswer(method, path);
    if (!answer) return undefined;
    answer.headers[MOCK_HEADER] = 'true';
    return method === 'HEAD' ? { ...answer, body: Buffer.alloc(0) } : answer;
  }

  private ruleAnswer(method: string, path: string): MockAnswer | undefined {
    const rule = this.rules.match(method, path);
    if (!rule) return undefined;
    const headers: Record<string, string> = {};
    // No body, no content type: a rule like `204` stays empty.
    if (rule.body !== undefined) headers['content-type'] = JSON_CONTENT_TYPE;
    for (const [name, value] of Object.entries(rule.headers ?? {})) headers[name.toLowerCase()] = value;
    return { status: rule.status, headers, body: ruleBody(rule.body) };
  }

  private schemaAnswer(method: string, path: string): MockAnswer | undefined {
    const schema = this.routes.match(method, path)?.responseSchema;
    if (!schema) return undefined;
    const sample = sampleFromSchema(schema, this.random);
    if (!sample.ok) return undefined;
    return {
      status: 200,
      headers: { 'content-type': JSON_CONTENT_TYPE },
      body: Buffer.from(JSON.stringify(sample.value), 'utf8'),
    };
  }
}

function ruleBody(body: unknown): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body) ?? '', 'utf8');
}
