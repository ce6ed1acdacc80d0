import { createLogger } from '../../shared/observability.ts';
import { executeLoadRun } from '../../shared/testcases/load-run-execution.ts';
import type { LoadRunRef } from '../../shared/testcases/ports.ts';
import { metrics } from './actions.ts';
import { execution } from './load-runs.ts';

const logger = createLogger('test-cases-load');

/** Invoked asynchronously with one load run: runs it if it is still queued, and keeps its figures. */
export const handler = async (ref: LoadRunRef): Promise<void> => {
  if (![ref?.apiName, ref?.caseId, ref?.loadRunId].every((v) => typeof v === 'string' && v.length > 0)) {
    logger.error('not a load run reference', { ref });
    return;
  }
  try {
    const run = await executeLoadRun(execution, ref);
    if (!run) logger.info('load run not queued: nothing to do', { ...ref });
    else
      logger.info('load run finished', {
        ...ref,
        status: run.status,
        summary: run.summary,
        error: run.error,
      });
  } finally {
    metrics.publishStoredMetrics();
  }
};
