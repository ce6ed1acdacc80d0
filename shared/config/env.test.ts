import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigSchema, loadConfig } from './env.ts';

interface Sample {
  TABLE: string;
  TIMEOUT_MS: number;
}
const schema: ConfigSchema = {
  properties: {
    TABLE: { type: 'string', minLength: 1 },
    TIMEOUT_MS: { type: 'integer', minimum: 1, default: 3000 },
    MODE: { enum: ['athena', 'objects'], default: 'athena' },
    URL: { type: 'string', pattern: '^https?://' },
  },
  required: ['TABLE', 'TIMEOUT_MS'],
};

describe('loadConfig', () => {
  it('coerces values and applies defaults', () => {
    expect(loadConfig<Sample>(schema, { TABLE: 't' })).toEqual({
      TABLE: 't',
      TIMEOUT_MS: 3000,
      MODE: 'athena',
    });
    expect(loadConfig<Sample>(schema, { TABLE: 't', TIMEOUT_MS: '50', URL: 'https://x' })).toEqual({
      TABLE: 't',
      TIMEOUT_MS: 50,
      MODE: 'athena',
      URL: 'https://x',
    });
  });

  it('names every problem at once', () => {
    expect(() => loadConfig<Sample>(schema, { TIMEOUT_MS: 'soon' })).toThrowError(ConfigError);
    expect(() => loadConfig<Sample>(schema, { TIMEOUT_MS: 'soon' })).toThrowError(/TABLE is missing/);
    expect(() =>
      loadConfig<Sample>(schema, {
        TABLE: 't',
        TIMEOUT_MS: '0',
        MODE: 'files',
        URL: 'ftp://x',
      }),
    ).toThrowError(
      'invalid configuration: TIMEOUT_MS must be >= 1; MODE must be one of athena, objects; URL must match pattern "^https?://"',
    );
    expect(() => loadConfig<Sample>(schema, { TABLE: 't', TIMEOUT_MS: '1.5' })).toThrowError(
      'TIMEOUT_MS must be integer',
    );
  });
});
