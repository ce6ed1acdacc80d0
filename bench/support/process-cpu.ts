import { readFileSync } from 'node:fs';

/** Linux's clock tick for /proc times: 100 a second on every architecture Node supports there. */
const TICK_US = 10_000;

/** CPU time (µs, user and system) a process has used so far; undefined without /proc or the process. */
export function processCpuUs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return undefined;
  }
}

/** CPU time (µs) the machine's cores have been busy so far, all processes; undefined without /proc. */
export function machineBusyUs(): number | undefined {
  try {
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return (ticks.reduce((sum, t) => sum + t, 0) - idle) * TICK_US;
  } catch {
    return undefined;
  }
}

/** Starts counting; the function returned gives the CPU µs per call each process and the machine used since. */
export function cpuPerCall<Name extends string>(pids: Record<Name, number | undefined>) {
  const before: Record<string, number | undefined> = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, processCpuUs(pid as number | undefined)]),
  );
  const machineBefore = machineBusyUs();
  return (calls: number): Record<Name | 'machine', number | undefined> => {
    const perCall = (after: number | undefined, start: number | undefined) =>
      after === undefined || start === undefined ? undefined : (after - start) / calls;
    return {
      ...(Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => [
          name,
          perCall(processCpuUs(pid as number | undefined), before[name]),
        ]),
      ) as Record<Name, number | undefined>),
      machine: perCall(machineBusyUs(), machineBefore),
    };
  };
}
