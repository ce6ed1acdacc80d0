import { createLogger } from '../../shared/observability.ts';
import { metrics, testCases } from './actions.ts';

const logger = createLogger('test-cases-schedule');

/** Every minute: runs the test cases whose time has come (a bounded round; the rest wait a minute). */
export const handler = async (): Promise<{ ran: number; failed: number }> => {
  try {
    const outcome = await testCases.runDue(new Date());
    if (outcome.ran > 0) logger.info('test cases ran', outcome);
    return outcome;
  } finally {
    metrics.publishStoredMetrics();
  }
};
