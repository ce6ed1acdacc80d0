import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { LocalFunction } from './plan.ts';

export class LambdaTimeoutError extends Error {
  override name = 'LambdaTimeoutError';
}

/** The function already runs as many calls as its reserved concurrency allows (Lambda's throttle). */
export class LambdaThrottledError extends Error {
  override name = 'LambdaThrottledError';
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Runs the functions' own handler modules in this process, with a Lambda-like context and the
 * function's timeout. Modules load once, like a warm Lambda container.
 *
 * Event-source invocations (`exclusive`) run in numbered containers: container 0 is the module loaded
 * at start-up, container n > 0 a separate instance of the same module (imported again under its own
 * URL), with its own module-level state, as a second Lambda container would have. A container takes one
 * event at a time; HTTP routes share container 0 and may run concurrently, as before.
 */
export class LambdaHost {
  private readonly handlers = new Map<string, Handler>();
  private readonly extraContainers = new Map<string, Promise<Handler>>();
  /** Each container's current handler call, until it truly ends (a timeout does not stop it). */
  private readonly running = new Map<string, Promise<unknown>>();
  /** Calls of each function in progress, held to its reserved concurrency. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly functions: Map<string, LocalFunction & { name: string }>,
    private readonly repoRoot: string,
  ) {}

  /** Imports every handler now, so a configuration error fails start-up rather than a first request. */
  async loadAll(): Promise<void> {
    for (const id of this.functions.keys()) this.handlers.set(id, await this.load(id));
  }

  private async load(functionId: string, container = 0): Promise<Handler> {
    const fn = this.functions.get(functionId);
    if (!fn) throw new Error(`no local function ${functionId}`);
    const url = pathToFileURL(path.join(this.repoRoot, fn.entry)).href;
    const module = (await import(container === 0 ? url : `${url}?container=${container}`)) as Record<
      string,
      unknown
    >;
    const handler = module[fn.handler];
    if (typeof handler !== 'function') throw new Error(`${fn.entry} does not export ${fn.handler}`);
    return handler as Handler;
  }

  private handler(functionId: string, container: number): Promise<Handler | undefined> {
    if (container === 0) return Promise.resolve(this.handlers.get(functionId));
    const key = `${functionId}#${container}`;
    let loading = this.extraContainers.get(key);
    if (!loading) {
      loading = this.load(functionId, container);
      this.extraContainers.set(key, loading);
    }
    return loading;
  }

  /**
   * Runs the handler, rejecting at the function's timeout. With `exclusive` (event-source mappings) the
   * call runs in `container` once that container's previous call has ended: a Lambda container handles
   * one event at a time, and handlers keep per-container state (powertools' BatchProcessor holds the
   * batch it is working on) that a second concurrent event would overwrite. A call that timed out
   * cannot be stopped here, so the container's next call waits for it to finish.
   */
  async invoke(
    functionId: string,
    event: unknown,
    { exclusive = false, container = 0 }: { exclusive?: boolean; container?: number } = {},
  ): Promise<unknown> {
    const slot = `${functionId}#${container}`;
    if (exclusive) await this.running.get(slot);
    const fn = this.functions.get(functionId);
    const running = this.inFlight.get(functionId) ?? 0;
    if (fn?.reservedConcurrency !== undefined && running >= fn.reservedConcurrency)
      throw new LambdaThrottledError(`${fn.name} is at its reserved concurrency (${fn.reservedConcurrency})`);
    this.inFlight.set(functionId, running + 1);
    // The slot is the handler's until it truly ends: a call that timed out still runs, as in Lambda,
    // where the environment stays busy until the function returns or is stopped.
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      this.inFlight.set(functionId, (this.inFlight.get(functionId) ?? 1) - 1);
    };
    try {
      return await this.run(functionId, fn, event, slot, exclusive, container, release);
    } catch (error) {
      if (!(error instanceof LambdaTimeoutError)) release();
      throw error;
    }
  }

  private async run(
    functionId: string,
    fn: (LocalFunction & { name: string }) | undefined,
    event: unknown,
    slot: string,
    exclusive: boolean,
    container: number,
    settled: () => void,
  ): Promise<unknown> {
    const handler = await this.handler(functionId, container);
    if (!fn || !handler) throw new Error(`no local function ${functionId}`);
    const deadline = Date.now() + fn.timeoutMs;
    const context: Context = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${fn.name}`,
      memoryLimitInMB: '512',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => {},
      fail: () => {},
      succeed: () => {},
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new LambdaTimeoutError(`${fn.name} timed out after ${fn.timeoutMs} ms`)),
        fn.timeoutMs,
      );
    });
    const call = Promise.resolve().then(() => handler(event, context));
    call.then(settled, settled);
    if (exclusive) {
      this.running.set(
        slot,
        call.then(
          () => undefined,
          () => undefined,
        ),
      );
    }
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
