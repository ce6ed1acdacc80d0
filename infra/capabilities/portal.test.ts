import { describe, expect, it } from 'vitest';
import { DEVELOPER_ROUTES, PORTAL_ROUTES, SIGN_UP_ROUTE } from '../../functions/portal/routes.ts';
import { routeKeysInSource, synthCapability } from './capability-fixture.ts';
import { Portal } from './portal.ts';

const PORTAL = 'functions/portal/handler.ts';
const DEVELOPER = 'functions/portal/developer.ts';
const { functions, routes, schedules, mappings, reaches } = synthCapability(
  (scope, props) => new Portal(scope, 'Portal', props),
);

describe('Portal', () => {
  it('owns the public documents function and the signed-in developer function', () => {
    expect(Object.keys(functions).sort()).toEqual([DEVELOPER, PORTAL]);
    expect(schedules).toEqual([]);
    expect(mappings).toEqual([]);
  });

  it('routes the catalog and the API documents to one, /v1/me to the other, and every key each handler spells out', () => {
    expect(routes).toEqual({
      ...Object.fromEntries(Object.keys(PORTAL_ROUTES).map((key) => [key, PORTAL])),
      ...Object.fromEntries(Object.keys(DEVELOPER_ROUTES).map((key) => [key, DEVELOPER])),
      [SIGN_UP_ROUTE]: DEVELOPER,
    });
    for (const key of routeKeysInSource(PORTAL)) expect(routes[key], key).toBe(PORTAL);
    for (const key of routeKeysInSource(DEVELOPER)) expect(routes[key], key).toBe(DEVELOPER);
  });

  it('lets the documents read the registry only, and the developer function the identity data, API definitions and signing keys', () => {
    expect(reaches(PORTAL)).toEqual(['RegistryTable']);
    expect(reaches(DEVELOPER).sort()).toEqual([
      'IdentityTable',
      'IdentityTable/index/gsi1',
      'PlatformKey',
      'RegistryTable',
      'SigningKeys',
    ]);
  });
});
