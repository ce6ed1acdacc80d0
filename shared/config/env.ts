import { Ajv, type Schema } from 'ajv';

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true });

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates a function's configuration from its environment at module load, so a missing
 * or malformed variable fails the cold start loudly instead of the first request quietly.
 */
export function loadConfig<T>(
  schema: Schema & { properties: Record<string, unknown> },
  env: NodeJS.ProcessEnv = process.env,
): T {
  const validate = ajv.compile(schema);
  const candidate: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    if (env[key] !== undefined && env[key] !== '') candidate[key] = env[key];
  }
  if (!validate(candidate)) {
    const problems = (validate.errors ?? []).map((e) =>
      e.keyword === 'required'
        ? `${e.params.missingProperty} is missing`
        : `${e.instancePath.slice(1)} ${e.message}`,
    );
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return candidate as T;
}
