import { configDefaults, defineConfig } from 'vitest/config';

/** Unit tests that change process-wide state (loaded modules, environment): each file runs alone. */
const PROCESS_STATE_TESTS = ['shared/aws/tracing-registry.test.ts', 'functions/cold-start-config.test.ts'];

const UNIT_TESTS = [
  'shared/**/*.test.ts',
  'functions/**/*.test.ts',
  'local/**/*.test.ts',
  'sdk/**/*.test.ts',
  'openapi/**/*.test.ts',
  'web/**/*.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: UNIT_TESTS,
          exclude: [...configDefaults.exclude, ...PROCESS_STATE_TESTS],
          environment: 'node',
          // Files share each worker's loaded modules: most of a file's time was importing them again.
          isolate: false,
        },
      },
      {
        test: {
          name: 'unit-isolated',
          include: PROCESS_STATE_TESTS,
          environment: 'node',
        },
      },
      {
        test: {
          name: 'infra',
          include: ['infra/**/*.test.ts'],
          environment: 'node',
          isolate: false,
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
