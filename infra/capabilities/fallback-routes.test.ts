import { describe, expect, it } from 'vitest';
import { CATCH_ALL_ROUTE, PLANNED_ROUTES } from '../../functions/fallback/routes.ts';
import { routeKeysInSource, synthCapability } from './capability-fixture.ts';
import { FallbackRoutes } from './fallback-routes.ts';

const FALLBACK = 'functions/fallback/handler.ts';
const { functions, routes, schedules, mappings, reaches, capability } = synthCapability(
  (scope, props) => new FallbackRoutes(scope, 'Fallback', props),
);

describe('FallbackRoutes', () => {
  it('owns the fallback function only', () => {
    expect(Object.keys(functions)).toEqual([FALLBACK]);
    expect(schedules).toEqual([]);
    expect(mappings).toEqual([]);
  });

  it('routes the planned routes and the catch-all to it', () => {
    expect(routes).toEqual(
      Object.fromEntries([...PLANNED_ROUTES, CATCH_ALL_ROUTE].map((key) => [key, FALLBACK])),
    );
    expect(capability.routes).toHaveLength(PLANNED_ROUTES.length + 1);
  });

  it('routes every route key the handler spells out to it', () => {
    for (const key of routeKeysInSource(FALLBACK)) expect(routes[key], key).toBe(FALLBACK);
  });

  it('grants it no data at all', () => {
    expect(reaches(FALLBACK)).toEqual([]);
  });
});
