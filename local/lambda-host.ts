import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { LocalFunction } from './plan.ts';

export class LambdaTimeoutError extends Error {
  override name = 'LambdaTimeoutError';
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Runs the functions' own handler modules in this process, with a Lambda-like context and the
 * function's timeout. Modules load once, like a warm Lambda container.
 */
export class LambdaHost {
  private readonly handlers = new Map<string, Handler>();

  constructor(
    private readonly functions: Map<string, LocalFunction & { name: string }>,
    private readonly repoRoot: string,
  ) {}

  /** Imports every handler now, so a configuration error fails start-up rather than a first request. */
  async loadAll(): Promise<void> {
    for (const [id, fn] of this.functions) {
      const module = (await import(pathToFileURL(path.join(this.repoRoot, fn.entry)).href)) as Record<
        string,
        unknown
      >;
      const handler = module[fn.handler];
      if (typeof handler !== 'function') throw new Error(`${fn.entry} does not export ${fn.handler}`);
      this.handlers.set(id, handler as Handler);
    }
  }

  async invoke(functionId: string, event: unknown): Promise<unknown> {
    const fn = this.functions.get(functionId);
    const handler = this.handlers.get(functionId);
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
    try {
      return await Promise.race([handler(event, context), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
