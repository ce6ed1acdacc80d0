import type { ApiDefinition, StoredApiDefinition } from '../gateway/api-definition.ts';
import type { Change } from '../gateway/openapi-import/diff.ts';
import { definitionChanges } from '../gateway/openapi-import/diff.ts';
import { importOpenApi } from '../gateway/openapi-import/import.ts';
import type { ImportSettings } from '../gateway/openapi-import/merge.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Violation } from '../kernel/validation.ts';
import type { ApiRegistryActions } from './api-registry-actions.ts';
import type { ActionContext } from './console-actions.ts';

/** The media types an OpenAPI document is accepted in. */
export const OPENAPI_MEDIA_TYPES = [
  'application/json',
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'application/vnd.oai.openapi',
  'application/vnd.oai.openapi+json',
];

export const OPENAPI_IMPORT_PARAMS = ['dryRun', 'upstream', 'timeoutMs'] as const;

export interface OpenApiImportRequest {
  /** The document, JSON or YAML. */
  text: string;
  query: Map<string, string>;
  ifMatch?: string;
}

export interface OpenApiImportOutcome {
  dryRun: boolean;
  created: boolean;
  /** The stored definition, or on a dry run the one that would be stored. */
  api: ApiDefinition | StoredApiDefinition;
  changes: Change[];
  warnings: Violation[];
}

/**
 * Registers or updates an API from an OpenAPI document: converted over the current revision (whose
 * gateway-only settings are kept), then checked and stored exactly as a PUT of the whole definition
 * (egress policy, provider app, `If-Match`), audited as `api.import`. Without `If-Match` the write is
 * conditional on the revision the document was merged over. A dry run stores nothing.
 */
export class OpenApiImportActions {
  constructor(private readonly apis: Pick<ApiRegistryActions, 'find' | 'prepare' | 'put'>) {}

  async import(
    ctx: ActionContext,
    name: string,
    request: OpenApiImportRequest,
  ): Promise<OpenApiImportOutcome> {
    const dryRun = flag(request.query.get('dryRun'));
    const settings = importSettings(request.query);
    const current = await this.apis.find(name);
    const { definition, warnings } = importOpenApi(request.text, name, current, settings);
    if (dryRun) {
      const { before, definition: wouldStore } = await this.apis.prepare(ctx, name, { ...definition });
      return {
        dryRun,
        created: !before,
        api: wouldStore,
        changes: definitionChanges(before, wouldStore),
        warnings,
      };
    }
    const ifMatch = request.ifMatch ?? `"${current?.revision ?? 0}"`;
    const { created, api } = await this.apis.put(ctx, name, { ...definition }, ifMatch, 'api.import');
    return { dryRun, created, api, changes: definitionChanges(current, api), warnings };
  }
}

function flag(value: string | undefined): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new DomainError('bad-request', 'dryRun must be true or false.');
}

function importSettings(query: Map<string, string>): ImportSettings {
  const upstream = query.get('upstream');
  const timeout = query.get('timeoutMs');
  if (timeout !== undefined && !/^[1-9]\d{0,5}$/.test(timeout)) {
    throw new DomainError('bad-request', 'timeoutMs must be a whole number of milliseconds.');
  }
  return {
    ...(upstream !== undefined ? { upstreams: [{ url: upstream }] } : {}),
    ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
  };
}
