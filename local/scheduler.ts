import type { LambdaHost } from './lambda-host.ts';
import type { LocalSchedule, LocalTrigger } from './plan.ts';
import { parseScheduleExpression } from './schedule-expression.ts';

/** The event EventBridge Scheduler and scheduled rules hand to a function. */
export function scheduledEvent(schedule: LocalSchedule, now: Date): unknown {
  if (schedule.input !== undefined) {
    try {
      return JSON.parse(schedule.input);
    } catch {
      return schedule.input;
    }
  }
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: '000000000000',
    time: now.toISOString(),
    region: 'local',
    resources: [schedule.id.logicalId],
    detail: {},
  };
}

/**
 * Runs deployment triggers once, then fires schedules in-process (the emulator does not). Each schedule
 * also fires once at start-up, so periodic work has been done before the platform answers.
 */
export class LocalScheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly triggers: LocalTrigger[],
    private readonly schedules: LocalSchedule[],
    private readonly host: LambdaHost,
    private readonly log: (line: string) => void,
  ) {}

  fire(schedule: LocalSchedule): Promise<unknown> {
    return this.host.invoke(schedule.functionId, scheduledEvent(schedule, new Date()));
  }

  find(logicalId: string): LocalSchedule | undefined {
    return this.schedules.find((s) => s.id.logicalId === logicalId);
  }

  async start(): Promise<void> {
    for (const trigger of this.triggers)
      await this.host.invoke(trigger.functionId, { RequestType: 'Create' });
    for (const schedule of this.schedules) {
      await this.fire(schedule);
      this.arm(schedule, parseScheduleExpression(schedule.expression));
    }
  }

  private arm(
    schedule: LocalSchedule,
    next: ReturnType<typeof parseScheduleExpression>,
    at = next(new Date()),
  ) {
    if (this.stopped || !at) return;
    // setTimeout holds at most ~24.8 days; longer waits re-arm for the same instant.
    const wait = Math.min(at.getTime() - Date.now(), 2 ** 31 - 1);
    const timer = setTimeout(
      async () => {
        this.timers.delete(timer);
        if (Date.now() < at.getTime()) {
          this.arm(schedule, next, at);
          return;
        }
        await this.fire(schedule).catch((e) =>
          this.log(`schedule ${schedule.id.logicalId} failed: ${(e as Error).message}`),
        );
        this.arm(schedule, next);
      },
      Math.max(0, wait),
    );
    timer.unref();
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
