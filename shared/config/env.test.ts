import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env.ts';

interface Sample {
  TABLE: string;
  TIMEOUT_MS: number;
}
const schema = {
  type: 'object',
  properties: {
    TABLE: { type: 'string', minLength: 1 },
    TIMEOUT_MS: { type: 'integer', minimum: 1, default: 3000 },
  },
  required: ['TABLE', 'TIMEOUT_MS'],
  additionalProperties: false,
} as const;

describe('loadConfig', () => {
  it('coerces values and applies defaults', () => {
    expect(loadConfig<Sample>(schema as never, { TABLE: 't' })).toEqual({ TABLE: 't', TIMEOUT_MS: 3000 });
    expect(loadConfig<Sample>(schema as never, { TABLE: 't', TIMEOUT_MS: '50' })).toEqual({
      TABLE: 't',
      TIMEOUT_MS: 50,
    });
  });

  it('names every problem at once', () => {
    expect(() => loadConfig<Sample>(schema as never, { TIMEOUT_MS: 'soon' })).toThrowError(ConfigError);
    expect(() => loadConfig<Sample>(schema as never, { TIMEOUT_MS: 'soon' })).toThrowError(
      /TABLE is missing/,
    );
  });
});
