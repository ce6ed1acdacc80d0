import { describe, expect, it } from 'vitest';
import { TEST_CASE_ROUTES } from '../../functions/testcases/routes.ts';
import { routeKeysInSource, synthCapability } from './capability-fixture.ts';
import { TestCases } from './test-cases.ts';

const API = 'functions/testcases/api.ts';
const RUNNER = 'functions/testcases/run-due.ts';
const LOAD = 'functions/testcases/generate-load.ts';

const { resources, functions, routes, schedules, template, reaches, mayRun } = synthCapability(
  (scope, props) => new TestCases(scope, 'TestCases', props),
);

describe('TestCases', () => {
  it('owns the console routes, the scheduled runner and the load generator', () => {
    expect(Object.keys(functions).sort()).toEqual([API, LOAD, RUNNER].sort());
    expect(routes).toEqual(Object.fromEntries(Object.keys(TEST_CASE_ROUTES).map((key) => [key, API])));
    for (const key of routeKeysInSource(API)) expect(routes[key], key).toBe(API);
  });

  it('runs due cases every minute, superseded after a minute, into the shared dead-letter queue', () => {
    expect(schedules).toEqual([
      {
        expression: 'rate(1 minute)',
        target: RUNNER,
        retryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 },
        deadLetterQueue: 'ScheduleDlq',
      },
    ]);
  });

  it('hands load runs to the generator asynchronously, once, with time for the longest run', () => {
    const generator = functions[LOAD]!;
    expect(resources[generator].Properties.Timeout).toBe(120);
    expect(resources[functions[API]!].Properties.Environment.Variables.LOAD_GENERATOR_FUNCTION).toEqual({
      Ref: generator,
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: generator },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 120,
    });
    expect(mayRun(API, 'lambda:InvokeFunction', 'TestCasesLoadGeneratorFunction')).toBe(true);
    for (const fn of [RUNNER, LOAD])
      expect(mayRun(fn, 'lambda:InvokeFunction', 'TestCasesLoadGeneratorFunction'), fn).toBe(false);
  });

  it('reaches only its tables, the signing keys and the bus', () => {
    const common = ['IdentityTable', 'PlatformKey', 'PorticoBus', 'RegistryTable', 'SigningKeys'];
    for (const fn of [RUNNER, LOAD]) expect(reaches(fn), fn).toEqual(common);
    expect(reaches(API)).toEqual(
      [...common, 'TestCasesLoadGeneratorFunction', 'TestCasesLoadGeneratorFunction:*'].sort(),
    );
  });
});
