/** A call to `/apis/{apiName}/...` as the gateway pipeline sees it, whatever transport carried it. */
export interface GatewayCall {
  apiName: string;
  /** The path as received, still percent-encoded, `/apis/{apiName}` included (what signatures cover). */
  rawPath: string;
  method: string;
  /** The query as received, without the `?`. */
  rawQueryString: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body as received, read when a stage needs it (one over the size limit is refused there). */
  body(): Buffer;
  sourceIp: string;
  requestId: string;
}

/** What the gateway answers: relayed from the upstream, mocked, degraded or a preflight. */
export interface GatewayAnswer {
  status: number;
  headers: Record<string, string>;
  /** Bytes relayed as they are, or text. */
  body?: Buffer | string;
}
