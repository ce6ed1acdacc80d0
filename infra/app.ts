import { App, type AppProps } from 'aws-cdk-lib';
import { ApiStack } from './stacks/api-stack.ts';
import { DataStack } from './stacks/data-stack.ts';

export const STACK_NAMES = { data: 'PorticoData', api: 'PorticoApi' } as const;

/** Builds the whole platform into `app`. Used by `cdk`, the template tests and the local runtime. */
export function buildPortico(props: AppProps = {}): App {
  const app = new App(props);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const data = new DataStack(app, STACK_NAMES.data, {
    env,
    description: 'Portico: tables, queues, bus, stream, keys',
  });
  new ApiStack(app, STACK_NAMES.api, { env, data, description: 'Portico: HTTP API, functions, schedules' });
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildPortico().synth();
}
