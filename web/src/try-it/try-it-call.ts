import { exampleRequest } from '../docs/example-request.ts';
import { parameterExample } from '../docs/examples.ts';
import type { OpenApiDocument, ParameterLocation } from '../docs/openapi.ts';
import type { Operation } from '../docs/operations.ts';
import { requestUrl } from '../docs/request-url.ts';

/** What the try-it form holds: a text per parameter (by place, then name) and the body. */
export interface TryItValues {
  parameters: Record<'path' | 'query' | 'header', Record<string, string>>;
  body: string;
}

export const TRIED_LOCATIONS = ['path', 'query', 'header'] as const;
export type TriedLocation = (typeof TRIED_LOCATIONS)[number];

const isTried = (location: ParameterLocation): location is TriedLocation =>
  (TRIED_LOCATIONS as readonly string[]).includes(location);

/** The form as it opens: the document's examples filled in. */
export function initialValues(document: OpenApiDocument, operation: Operation): TryItValues {
  const parameters: TryItValues['parameters'] = { path: {}, query: {}, header: {} };
  for (const parameter of operation.parameters) {
    if (isTried(parameter.in))
      parameters[parameter.in][parameter.name] = parameterExample(document, parameter) ?? '';
  }
  return { parameters, body: exampleRequest(document, operation).body ?? '' };
}

export interface Call {
  method: string;
  url: string;
  headers: [name: string, value: string][];
  body: string | undefined;
}

export type PreparedCall = { ok: true; call: Call } | { ok: false; problems: string[] };

/** The call the form describes, or what keeps it from being sent. */
export function prepareCall(baseUrl: string, operation: Operation, values: TryItValues): PreparedCall {
  const problems: string[] = [];
  for (const parameter of operation.parameters) {
    if (!isTried(parameter.in)) continue;
    const value = values.parameters[parameter.in][parameter.name] ?? '';
    if ((parameter.required || parameter.in === 'path') && value.trim() === '') {
      problems.push(`The ${parameter.in} parameter ${parameter.name} is required.`);
    }
  }
  const headers = Object.entries(values.parameters.header).filter(([, value]) => value !== '');
  let body: string | undefined;
  if (operation.requestBody && values.body.trim() !== '') {
    try {
      body = JSON.stringify(JSON.parse(values.body));
      headers.push(['Content-Type', 'application/json']);
    } catch (error) {
      problems.push(`The request body is not valid JSON (${(error as Error).message}).`);
    }
  } else if (operation.requestBody?.required) {
    problems.push('The request body is required.');
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    call: {
      method: operation.method.toUpperCase(),
      url: requestUrl(
        baseUrl,
        operation.path,
        values.parameters.path,
        Object.entries(values.parameters.query),
      ),
      headers,
      body,
    },
  };
}
