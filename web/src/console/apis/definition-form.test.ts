import { describe, expect, it } from 'vitest';
import {
  definitionOf,
  editableDefinition,
  formOf,
  NEW_DEFINITION,
  parseDefinition,
  withNewUpstream,
} from './definition-form.ts';

const stored = {
  name: 'echo',
  description: 'Echoes',
  upstreams: [{ url: 'http://127.0.0.1:3900', weight: 2 }, { lambda: 'orders-fn' }],
  timeoutMs: 5000,
  requiredScopes: ['echo:read', 'echo:write'],
  mock: { enabled: false, rules: [{ method: 'GET', path: '/hello', status: 200 }] },
  version: '1',
  authModes: ['token', 'signature'] as ('token' | 'signature')[],
  routes: [{ method: 'GET', path: '/hello' }],
  revision: 4,
  updatedAt: '2030-01-01T00:00:00.000Z',
};

describe('the definition form', () => {
  it('writes back a definition unchanged when nothing was edited', () => {
    const definition = editableDefinition(stored);
    expect(definitionOf(formOf(definition), definition)).toEqual(definition);
  });

  it('leaves the registry’s stamps out of what is written back', () => {
    expect(editableDefinition(stored)).not.toHaveProperty('revision');
    expect(editableDefinition(stored)).not.toHaveProperty('updatedAt');
  });

  it('shows HTTP upstreams as URLs and keeps the other kinds and members as they are', () => {
    const definition = editableDefinition(stored);
    const form = formOf(definition);
    expect(form.upstreams).toEqual([
      { id: 0, kind: 'http', url: 'http://127.0.0.1:3900', rest: { weight: 2 } },
      { id: 1, kind: 'other', upstream: { lambda: 'orders-fn' } },
    ]);
    const edited = { ...form, upstreams: [{ ...form.upstreams[0]!, url: 'https://echo.example' }] };
    expect(definitionOf(edited as typeof form, definition).upstreams).toEqual([
      { weight: 2, url: 'https://echo.example' },
    ]);
  });

  it('writes the edited common fields over the definition, keeping what it does not show', () => {
    const definition = editableDefinition(stored);
    const form = {
      ...formOf(definition),
      description: 'Echoes everything',
      timeoutMs: '8000',
      requiredScopes: ' echo:read  admin ',
      authModes: { token: true, signature: false },
      mockEnabled: true,
    };
    const result = definitionOf(form, definition);
    expect(result).toMatchObject({
      description: 'Echoes everything',
      timeoutMs: 8000,
      requiredScopes: ['echo:read', 'admin'],
      authModes: ['token'],
      mock: { enabled: true, rules: [{ method: 'GET', path: '/hello', status: 200 }] },
      routes: [{ method: 'GET', path: '/hello' }],
    });
  });

  it('sends a timeout that is not a whole number as typed, for the platform to refuse it by name', () => {
    const definition = editableDefinition(stored);
    expect(definitionOf({ ...formOf(definition), timeoutMs: '12a' }, definition).timeoutMs).toBe('12a');
    expect(definitionOf({ ...formOf(definition), timeoutMs: '' }, definition)).not.toHaveProperty(
      'timeoutMs',
    );
  });

  it('adds a lifecycle only when one is said, and keeps the platform’s stamps', () => {
    const definition = editableDefinition(stored);
    expect(definitionOf(formOf(definition), definition)).not.toHaveProperty('lifecycle');
    const deprecated = definitionOf(
      { ...formOf(definition), lifecycleStatus: 'deprecated', lifecycleLink: 'https://example.com/v2' },
      definition,
    );
    expect(deprecated.lifecycle).toEqual({ status: 'deprecated', link: 'https://example.com/v2' });
    const withStamp = {
      ...definition,
      lifecycle: { status: 'deprecated', deprecatedAt: '2030-01-01T00:00:00Z' },
    };
    const form = { ...formOf(withStamp), sunsetAt: '2031-01-01T00:00' };
    const next = definitionOf(form, withStamp).lifecycle as Record<string, string>;
    expect(next.deprecatedAt).toBe('2030-01-01T00:00:00Z');
    expect(Date.parse(next.sunsetAt!)).toBe(new Date('2031-01-01T00:00').getTime());
  });

  it('adds rows for more HTTP servers with ids of their own', () => {
    const form = withNewUpstream(formOf(editableDefinition(stored)));
    expect(form.upstreams.map((row) => row.id)).toEqual([0, 1, 2]);
    expect(form.upstreams[2]).toEqual({ id: 2, kind: 'http', url: '', rest: {} });
  });

  it('starts a new API from the platform’s defaults', () => {
    const form = formOf(NEW_DEFINITION);
    expect(form).toMatchObject({ version: '1', timeoutMs: '5000', lifecycleStatus: 'draft' });
    expect(form.authModes).toEqual({ token: true, signature: false });
  });
});

describe('the raw JSON of a definition', () => {
  it('must be a JSON object', () => {
    expect(parseDefinition('{"name":"echo"}')).toEqual({ ok: true, definition: { name: 'echo' } });
    expect(parseDefinition('[1]')).toEqual({ ok: false, message: 'The definition must be a JSON object.' });
    const broken = parseDefinition('{"name":');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.message).toMatch(/^This is not valid JSON/);
  });
});
