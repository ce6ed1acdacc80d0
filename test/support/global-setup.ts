import type { TestProject } from 'vitest/node';
import type { PlatformInfo } from './platform.ts';
import { startRuntimeProcess } from './runtime-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    portico: PlatformInfo;
  }
}

/**
 * One local platform for the whole integration run, started as `npm start` starts it, save partner
 * health's window: 2 s rather than a minute, so that detection and a whole recovery run in seconds.
 */
export default async function setup(project: TestProject) {
  const runtime = await startRuntimeProcess({ PARTNER_HEALTH_WINDOW_SECONDS: '2' });
  project.provide('portico', { ...runtime.info, logFile: runtime.logFile });
  return async () => {
    await runtime.stop();
  };
}
