import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger per function. Level comes from POWERTOOLS_LOG_LEVEL. Never pass request
 * bodies, secrets, tokens or signatures to it: redaction is by construction, not by filtering.
 */
export const createLogger = (serviceName: string): Logger => new Logger({ serviceName });
