import { inject } from 'vitest';
import { localClients } from '../../local/aws.ts';
import type { RuntimeInfo } from '../../local/runtime.ts';

/** What a running local platform tells its tests: URLs, seeded clients, process ids, and its log file. */
export type PlatformInfo = RuntimeInfo & { logFile: string };

/** The local platform every integration file shares, started once by `global-setup.ts`. */
export const portico = (): PlatformInfo => inject('portico');

/** SDK clients bound to the shared platform's AWS emulator (moto). */
export const aws = () => localClients(portico().awsEndpoint);

/**
 * A name no other call has used (`prefix-<time><random>`), for anything a test creates on the
 * shared platform (APIs, tables, queues, streams), so runs and files never collide. It fits the API
 * name pattern when `prefix` does.
 */
export const uniqueName = (prefix: string): string =>
  `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
