import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../api-definition.ts';
import { definitionChanges } from './diff.ts';

const base: ApiDefinition = {
  name: 'pets',
  version: '1',
  upstreams: [{ url: 'https://a.example' }],
  timeoutMs: 1000,
  authModes: ['token'],
  requiredScopes: [],
  routes: [
    {
      method: 'GET',
      path: '/pets',
      parameters: [
        { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } },
        { name: 'tag', in: 'query' },
      ],
    },
    { method: 'POST', path: '/pets' },
  ],
};

describe('definitionChanges', () => {
  it('sees no change in reordered routes and parameters, nor in revision stamps', () => {
    const reordered = {
      ...base,
      revision: 3,
      updatedAt: 'now',
      routes: [
        base.routes![1]!,
        { ...base.routes![0]!, parameters: [...base.routes![0]!.parameters!].reverse() },
      ],
    };
    expect(definitionChanges(reordered, base)).toEqual([]);
  });

  it('names routes by method and path, and parameters by location and name', () => {
    const after: ApiDefinition = {
      ...base,
      version: '2',
      routes: [
        {
          method: 'GET',
          path: '/pets',
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 50 } }],
        },
        { method: 'GET', path: '/pets/{id}' },
      ],
    };
    expect(definitionChanges(base, after)).toEqual([
      { op: 'replace', path: '/version', before: '1', after: '2' },
      {
        op: 'replace',
        path: '/routes/GET ~1pets/parameters/query limit/schema/maximum',
        before: 100,
        after: 50,
      },
      { op: 'remove', path: '/routes/GET ~1pets/parameters/query tag', before: { name: 'tag', in: 'query' } },
      { op: 'remove', path: '/routes/POST ~1pets', before: { method: 'POST', path: '/pets' } },
      { op: 'add', path: '/routes/GET ~1pets~1{id}', after: { method: 'GET', path: '/pets/{id}' } },
    ]);
  });

  it('adds every member of a new API', () => {
    const changes = definitionChanges(undefined, base);
    expect(changes.map((c) => `${c.op} ${c.path}`)).toEqual([
      ...Object.keys(base)
        .filter((key) => key !== 'routes')
        .map((key) => `add /${key}`),
      'add /routes/GET ~1pets',
      'add /routes/POST ~1pets',
    ]);
    expect(changes.at(-2)!.after).toBe(base.routes![0]);
  });
});
