/**
 * Delivers records somewhere durable (a stream, a delivery stream). `send` rejects when some records
 * were not delivered; it rejects with `UndeliveredRecordsError` when it knows which ones, so only those
 * are sent again (any other rejection means none of them is known to have arrived).
 */
export interface RecordSink<T> {
  send(records: T[]): Promise<void>;
}

export class UndeliveredRecordsError extends Error {
  override readonly name = 'UndeliveredRecordsError';

  constructor(
    message: string,
    /** The very objects passed to `send` that did not arrive; every other one did. */
    readonly undelivered: readonly object[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
