import type { ApiDefinition, LifecycleStatus } from '../api/apis.ts';
import { isoOfLocalInput, localInputOf } from '../ui/time-input.ts';

type Definition = Record<string, unknown>;

/** An upstream as the form shows it: an HTTP server's URL to edit, or another kind kept as it is. */
export type UpstreamRow =
  | { id: number; kind: 'http'; url: string; rest: Definition }
  | { id: number; kind: 'other'; upstream: Definition };

/** The common members of a definition, as the editor's inputs hold them (text as typed). */
export interface DefinitionForm {
  name: string;
  description: string;
  version: string;
  upstreams: UpstreamRow[];
  timeoutMs: string;
  /** Space-separated. */
  requiredScopes: string;
  authModes: { token: boolean; signature: boolean };
  lifecycleStatus: LifecycleStatus;
  /** A `datetime-local` value. */
  sunsetAt: string;
  lifecycleLink: string;
  mockEnabled: boolean;
}

const isRecord = (value: unknown): value is Definition =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** What a definition read from the registry is written back as: without the registry's own stamps. */
export function editableDefinition(stored: ApiDefinition): Definition {
  const { revision: _revision, updatedAt: _updatedAt, ...definition } = stored;
  return definition;
}

/** A new API's starting definition: the platform's defaults, spelled out. */
export const NEW_DEFINITION: Definition = {
  name: '',
  version: '1',
  description: '',
  upstreams: [{ url: 'https://' }],
  timeoutMs: 5000,
  authModes: ['token'],
  requiredScopes: [],
  lifecycle: { status: 'draft' },
  mock: { enabled: false },
};

export function formOf(definition: Definition): DefinitionForm {
  const upstreams = Array.isArray(definition.upstreams) ? definition.upstreams.filter(isRecord) : [];
  const authModes = Array.isArray(definition.authModes) ? definition.authModes : ['token', 'signature'];
  const lifecycle = isRecord(definition.lifecycle) ? definition.lifecycle : {};
  const mock = isRecord(definition.mock) ? definition.mock : {};
  return {
    name: text(definition.name),
    description: text(definition.description),
    version: text(definition.version),
    upstreams: upstreams.map((upstream, id): UpstreamRow => {
      if (typeof upstream.url !== 'string') return { id, kind: 'other', upstream };
      const { url, ...rest } = upstream;
      return { id, kind: 'http', url, rest };
    }),
    timeoutMs: text(definition.timeoutMs),
    requiredScopes: Array.isArray(definition.requiredScopes) ? definition.requiredScopes.join(' ') : '',
    authModes: { token: authModes.includes('token'), signature: authModes.includes('signature') },
    lifecycleStatus: (text(lifecycle.status) || 'published') as LifecycleStatus,
    sunsetAt: typeof lifecycle.sunsetAt === 'string' ? localInputOf(lifecycle.sunsetAt) : '',
    lifecycleLink: text(lifecycle.link),
    mockEnabled: mock.enabled === true,
  };
}

/** Sets `name` to `value`, or leaves it out when `value` is undefined. */
function setOrDrop(into: Definition, name: string, value: unknown): void {
  if (value === undefined) delete into[name];
  else into[name] = value;
}

/** A whole number as a number; anything else as typed, for the platform to say what is wrong with it. */
const wholeNumberOr = (value: string): number | string | undefined => {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : trimmed;
};

function lifecycleOf(form: DefinitionForm, base: Definition): Definition | undefined {
  const before = isRecord(base.lifecycle) ? base.lifecycle : undefined;
  const sunsetAt = form.sunsetAt ? (isoOfLocalInput(form.sunsetAt) ?? form.sunsetAt) : undefined;
  const link = form.lifecycleLink.trim() || undefined;
  // A definition without a lifecycle is published: it stays without one until something is said.
  if (!before && form.lifecycleStatus === 'published' && !sunsetAt && !link) return undefined;
  const lifecycle: Definition = { ...before, status: form.lifecycleStatus };
  setOrDrop(lifecycle, 'sunsetAt', sunsetAt);
  setOrDrop(lifecycle, 'link', link);
  return lifecycle;
}

function mockOf(form: DefinitionForm, base: Definition): Definition | undefined {
  if (isRecord(base.mock)) return { ...base.mock, enabled: form.mockEnabled };
  return form.mockEnabled ? { enabled: true } : undefined;
}

/**
 * The definition the form stands for: `base` (the whole definition last read or typed) with the form's
 * members written over it, so members the form does not show are kept as they are.
 */
export function definitionOf(form: DefinitionForm, base: Definition): Definition {
  const definition: Definition = { ...base };
  setOrDrop(definition, 'name', form.name.trim() || undefined);
  setOrDrop(definition, 'description', form.description || undefined);
  setOrDrop(definition, 'version', form.version.trim() || undefined);
  definition.upstreams = form.upstreams.map((row) =>
    row.kind === 'http' ? { ...row.rest, url: row.url.trim() } : row.upstream,
  );
  setOrDrop(definition, 'timeoutMs', wholeNumberOr(form.timeoutMs));
  definition.requiredScopes = form.requiredScopes.split(/\s+/).filter(Boolean);
  definition.authModes = (['token', 'signature'] as const).filter((mode) => form.authModes[mode]);
  setOrDrop(definition, 'lifecycle', lifecycleOf(form, base));
  setOrDrop(definition, 'mock', mockOf(form, base));
  return definition;
}

/** A row for one more HTTP server. */
export function withNewUpstream(form: DefinitionForm): DefinitionForm {
  const id = Math.max(-1, ...form.upstreams.map((row) => row.id)) + 1;
  return { ...form, upstreams: [...form.upstreams, { id, kind: 'http', url: '', rest: {} }] };
}

export const definitionJson = (definition: Definition): string => JSON.stringify(definition, null, 2);

export type ParsedDefinition = { ok: true; definition: Definition } | { ok: false; message: string };

/** The raw JSON tab's text as a definition, or why it is not one. */
export function parseDefinition(json: string): ParsedDefinition {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, message: `This is not valid JSON: ${(error as Error).message}` };
  }
  if (!isRecord(value)) return { ok: false, message: 'The definition must be a JSON object.' };
  return { ok: true, definition: value };
}
