import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { LoadRunLauncher, LoadRunRef } from '../ports.ts';

/**
 * Hands the run to the load generator function with an asynchronous (`Event`) invocation: the console's
 * request answers at once, and the run goes on for up to its duration apart from it.
 */
export class LambdaLoadRunLauncher implements LoadRunLauncher {
  constructor(
    private readonly lambda: Pick<LambdaClient, 'send'>,
    private readonly functionName: string,
  ) {}

  async launch(ref: LoadRunRef): Promise<void> {
    const payload: LoadRunRef = { apiName: ref.apiName, caseId: ref.caseId, loadRunId: ref.loadRunId };
    await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
  }
}
