import { setTimeout as sleep } from 'node:timers/promises';
import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { count } from '../../shared/observability.ts';
import { DynamoLoadRunStore } from '../../shared/testcases/adapters/dynamo-load-run-store.ts';
import { fetchTransport } from '../../shared/testcases/adapters/fetch-transport.ts';
import type { LoadExecutionDeps } from '../../shared/testcases/load-run-execution.ts';
import { metrics, publish, runner, store } from './actions.ts';

/** The load runs' composition, shared by the console's routes and the load generator. */
const config = loadSettings(['REGISTRY_TABLE']);

export const loadRunStore = new DynamoLoadRunStore(dynamoDocument, config.REGISTRY_TABLE);

/** One request of a load gives up sooner than a single run: the run ends at most this after its duration. */
const LOAD_REQUEST_TIMEOUT_MS = 10_000;

export const execution: LoadExecutionDeps = {
  store: loadRunStore,
  cases: store,
  runner,
  transport: fetchTransport(LOAD_REQUEST_TIMEOUT_MS),
  finished: async (run) => {
    count(metrics, run.status === 'completed' ? 'LoadRunsCompleted' : 'LoadRunsFailed');
    const { series: _series, ...summary } = run;
    await publish(`load-run.${run.status}`, summary);
  },
  clock: () => performance.now(),
  sleep: (ms) => sleep(ms),
};
