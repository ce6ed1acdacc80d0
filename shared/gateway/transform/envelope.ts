/**
 * The platform's standard answer structure, in the shape of the seed protocol's answers
 * (`{"code": 0, "msg": …}`, docs/partner-health.md): `code` 0 on success, else the HTTP status.
 */
export interface Envelope {
  code: number;
  msg: string;
  data: unknown;
  requestId: string;
}

export function envelope(status: number, data: unknown, requestId: string): Envelope {
  const ok = status < 400;
  return {
    code: ok ? 0 : status,
    msg: ok ? 'ok' : `The upstream answered ${status}.`,
    data: data === undefined ? null : data,
    requestId,
  };
}
