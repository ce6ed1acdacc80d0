import { describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES } from '../../functions/console/routes.ts';
import { routeKeysInSource, synthCapability } from './capability-fixture.ts';
import { ConsoleApi } from './console-api.ts';

const ENTRY = 'functions/console/handler.ts';
const { functions, routes, schedules, mappings, reaches, mayRun, statements } = synthCapability(
  (scope, props) => new ConsoleApi(scope, 'Console', props),
);

describe('ConsoleApi', () => {
  it('owns the console function only: no schedule, no event source', () => {
    expect(Object.keys(functions)).toEqual([ENTRY]);
    expect(schedules).toEqual([]);
    expect(mappings).toEqual([]);
  });

  it('routes exactly the console route table to the console function', () => {
    expect(routes).toEqual(Object.fromEntries(Object.keys(CONSOLE_ROUTES).map((key) => [key, ENTRY])));
  });

  it('routes every route key the handler spells out', () => {
    const keys = routeKeysInSource(ENTRY);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(routes[key], key).toBe(ENTRY);
  });

  it('grants the identity table (and its gsi1 listings), the registry, the topic catalog and the platform key', () => {
    expect(reaches(ENTRY)).toEqual([
      'IdentityTable',
      'IdentityTable/index/gsi1',
      'MessagesTable',
      'PlatformKey',
      'RegistryTable',
    ]);
  });

  it('may encrypt client secrets with the platform key, only in their encryption context, never decrypt', () => {
    const kms = statements(ENTRY).filter((s) => s.resources.includes('PlatformKey'));
    expect(kms).toEqual([
      {
        actions: ['kms:Encrypt'],
        resources: ['PlatformKey'],
        condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'client-secret' } },
      },
    ]);
    expect(mayRun(ENTRY, 'kms:Decrypt', 'PlatformKey')).toBe(false);
  });
});
