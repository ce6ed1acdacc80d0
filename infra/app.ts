import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, type AppProps } from 'aws-cdk-lib';
import { REPO_ROOT } from './repo-root.ts';
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

/**
 * The app as `cdk synth` builds it (same cdk.json context), but without bundling the functions: for
 * template tests and the local runtime, which runs the handler sources directly.
 */
export function buildUnbundledPortico(props: AppProps = {}): App {
  return buildPortico(unbundled(props));
}

/** App props with cdk.json's context (feature flags included) and bundling turned off. */
export function unbundled(props: AppProps = {}): AppProps {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: object };
  return { ...props, context: { ...cdkJson.context, ...props.context, 'aws:cdk:bundling-stacks': [] } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // cdk.json's build step (npm run build:web) has just built the web app that the deployment uploads.
  const webAssets = path.join(REPO_ROOT, 'web', 'dist');
  if (!existsSync(path.join(webAssets, 'index.html')))
    throw new Error('web/dist/index.html is missing: run npm run build:web');
  buildPortico({ context: { webAssets } }).synth();
}
