import type { TestProject } from 'vitest/node';
import { localClients } from '../../local/aws.ts';
import type { PlatformInfo } from './platform.ts';
import { credentialsInRequestLogs } from './request-log-objects.ts';
import { startRuntimeProcess } from './runtime-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    portico: PlatformInfo;
  }
}

/**
 * One local platform for the whole integration run, started as `npm start` starts it, save partner
 * health's window: 2 s rather than a minute, so that detection and a whole recovery run in seconds.
 * At the end, every request-log object of the run is scanned for credentials.
 */
export default async function setup(project: TestProject) {
  const runtime = await startRuntimeProcess({ PARTNER_HEALTH_WINDOW_SECONDS: '2' });
  project.provide('portico', { ...runtime.info, logFile: runtime.logFile });
  return async () => {
    // After every test file: no request-log object the whole run wrote may hold a credential.
    const leaks = await credentialsInRequestLogs(localClients(runtime.info.awsEndpoint)).finally(() =>
      runtime.stop(),
    );
    if (leaks.length > 0) {
      // An error thrown here is only printed: the exit code is what fails the run.
      console.error(`credentials in request logs:\n${leaks.join('\n')}`);
      process.exitCode = 1;
    }
  };
}
