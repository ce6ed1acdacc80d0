import { describe, expect, it } from 'vitest';
import { PORTAL_ROUTES } from '../../functions/portal/routes.ts';
import { routeKeysInSource, synthCapability } from './capability-fixture.ts';
import { Portal } from './portal.ts';

const PORTAL = 'functions/portal/handler.ts';
const { functions, routes, schedules, mappings, reaches } = synthCapability(
  (scope, props) => new Portal(scope, 'Portal', props),
);

describe('Portal', () => {
  it('owns the portal function only', () => {
    expect(Object.keys(functions)).toEqual([PORTAL]);
    expect(schedules).toEqual([]);
    expect(mappings).toEqual([]);
  });

  it('routes the catalog and the API documents to it, and every key the handler spells out', () => {
    expect(routes).toEqual(Object.fromEntries(Object.keys(PORTAL_ROUTES).map((key) => [key, PORTAL])));
    for (const key of routeKeysInSource(PORTAL)) expect(routes[key], key).toBe(PORTAL);
  });

  it('reads the registry and nothing else', () => {
    expect(reaches(PORTAL)).toEqual(['RegistryTable']);
  });
});
