import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Architecture, Code, type ILayerVersion, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** The layer's directory: `extensions/portico-shutdown` is what Lambda starts. */
export const SHUTDOWN_EXTENSION_DIR = path.join(import.meta.dirname, '..', 'layers', 'shutdown-extension');

/**
 * The `portico-shutdown` extension as a layer, one per stack. Lambda sends a function's runtime SIGTERM
 * before it shuts an environment down only when an extension is registered; without it, records a
 * recorder still holds when an idle environment is discarded are lost.
 */
export function shutdownExtension(scope: Construct): ILayerVersion {
  const stack = Stack.of(scope);
  const id = 'ShutdownExtension';
  return (
    (stack.node.tryFindChild(id) as ILayerVersion | undefined) ??
    new LayerVersion(stack, id, {
      code: Code.fromAsset(SHUTDOWN_EXTENSION_DIR),
      compatibleRuntimes: [Runtime.NODEJS_22_X],
      compatibleArchitectures: [Architecture.ARM_64, Architecture.X86_64],
      description: 'Registers for SHUTDOWN so that the runtime gets SIGTERM and flushes what it buffers',
    })
  );
}
