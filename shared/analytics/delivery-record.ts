/** One record per webhook delivery attempt, as it lands in the analytics stream. Never a payload. */
export interface DeliveryRecord {
  v: 1;
  kind: 'delivery';
  timestamp: string;
  deliveryId: string;
  messageId: string;
  subscriptionId: string;
  appId: string;
  topic: string;
  attempt: number;
  /** What the attempt did to the delivery. */
  outcome: 'sent' | 'retry' | 'failed';
  /** Origin (scheme, host, port) of the receiver; never its path or query. */
  endpoint: string;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  errorClass?: string;
  latencyMs: number;
  /** When the message was published (ISO): publish → delivered is measured from it. */
  publishedAt?: string;
}
