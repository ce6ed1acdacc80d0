import type { TestProject } from 'vitest/node';
import type { PlatformInfo } from './platform.ts';
import { startRuntimeProcess } from './runtime-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    portico: PlatformInfo;
  }
}

/** One local platform for the whole integration run, started exactly as `npm start` starts it. */
export default async function setup(project: TestProject) {
  const runtime = await startRuntimeProcess();
  project.provide('portico', { ...runtime.info, logFile: runtime.logFile });
  return async () => {
    await runtime.stop();
  };
}
