import { describe, expect, it } from 'vitest';
import { envelope } from './envelope.ts';

describe('envelope', () => {
  it('says 0 and ok for a success, the status for a failure, null for no data', () => {
    expect(envelope(201, { id: 1 }, 'req-1')).toEqual({
      code: 0,
      msg: 'ok',
      data: { id: 1 },
      requestId: 'req-1',
    });
    expect(envelope(404, undefined, 'req-2')).toEqual({
      code: 404,
      msg: 'The upstream answered 404.',
      data: null,
      requestId: 'req-2',
    });
  });
});
