/**
 * How one setting is checked: the small subset of JSON Schema settings need. Checked by hand rather
 * than with a JSON Schema library because every function runs this at its cold start, where loading
 * and compiling a validator would cost more than the whole check.
 */
export type SettingSchema =
  | { type: 'string'; minLength?: number; maxLength?: number; pattern?: string; default?: string }
  | { type: 'integer'; minimum?: number; maximum?: number; default?: number }
  | { enum: readonly string[]; default?: string };

export interface ConfigSchema {
  properties: Record<string, SettingSchema>;
  required?: readonly string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The setting's value, or why it is not one. */
function checked(name: string, raw: string, schema: SettingSchema): { value: unknown } | { problem: string } {
  if ('enum' in schema) {
    return schema.enum.includes(raw)
      ? { value: raw }
      : { problem: `${name} must be one of ${schema.enum.join(', ')}` };
  }
  if (schema.type === 'integer') {
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value))
      return { problem: `${name} must be integer` };
    if (schema.minimum !== undefined && value < schema.minimum)
      return { problem: `${name} must be >= ${schema.minimum}` };
    if (schema.maximum !== undefined && value > schema.maximum)
      return { problem: `${name} must be <= ${schema.maximum}` };
    return { value };
  }
  if (schema.minLength !== undefined && raw.length < schema.minLength)
    return { problem: `${name} must NOT have fewer than ${schema.minLength} characters` };
  if (schema.maxLength !== undefined && raw.length > schema.maxLength)
    return { problem: `${name} must NOT have more than ${schema.maxLength} characters` };
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(raw))
    return { problem: `${name} must match pattern "${schema.pattern}"` };
  return { value: raw };
}

/**
 * Reads and validates a function's configuration from its environment at module load, so a missing
 * or malformed variable fails the cold start loudly instead of the first request quietly. An empty
 * variable counts as missing; defaults fill what is missing; every problem is named at once.
 */
export function loadConfig<T>(schema: ConfigSchema, env: NodeJS.ProcessEnv = process.env): T {
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, setting] of Object.entries(schema.properties)) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (setting.default !== undefined) config[name] = setting.default;
      else if (schema.required?.includes(name)) problems.push(`${name} is missing`);
      continue;
    }
    const result = checked(name, raw, setting);
    if ('problem' in result) problems.push(result.problem);
    else config[name] = result.value;
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return config as T;
}
