/**
 * Published test vectors for webhook signatures (Standard Webhooks `v1`). Each expected signature was
 * computed by `signWebhook` and is checked against the `standardwebhooks` package in
 * `shared/messages/webhook-signature.test.ts`; the SDK tests and `sdk/README.md` use the same values.
 * The secrets are test keys (bytes 0x00–0x1f and 0xff–0xe0): never use them for real.
 */
export interface WebhookVector {
  name: string;
  /** The secrets the delivery is signed with, in the order of the signature entries. */
  secrets: readonly string[];
  /** `webhook-id`: the delivery id. */
  id: string;
  /** `webhook-timestamp`: whole seconds since the Unix epoch. */
  timestamp: number;
  /** Sent as its UTF-8 bytes. */
  body: string;
  /** The expected `webhook-signature` header. */
  signature: string;
  /** `webhook-message-id` (not signed), where Portico sends one. */
  messageId?: string;
}

/** The example of the Standard Webhooks specification (a 24-byte key, as Svix issues). */
export const SPEC_EXAMPLE_VECTOR: WebhookVector = {
  name: 'Standard Webhooks specification example',
  secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

export const PORTICO_TEST_SECRET = 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
export const PORTICO_ROTATED_TEST_SECRET = 'whsec_//79/Pv6+fj39vX08/Lx8O/u7ezr6uno5+bl5OPi4eA=';

/** 94 characters, 108 UTF-8 bytes: 2-, 3- and 4-byte sequences. */
export const NON_ASCII_BODY =
  '{"topic":"order.created","data":{"customer":"Zoë Ångström","city":"Zürich","note":"日本語 ✓ 🚀"}}';

/** A Portico delivery: a 32-byte secret and a non-ASCII JSON body. */
export const NON_ASCII_VECTOR: WebhookVector = {
  name: 'Portico delivery with a non-ASCII body',
  secrets: [PORTICO_TEST_SECRET],
  id: 'dlv_4fQm8sZ2kXw7pLr3nVb9Tc',
  messageId: 'msg_7Hk2Vq9ZpL4mXs8RtNw3Ya',
  timestamp: 1767225600,
  body: NON_ASCII_BODY,
  signature: 'v1,tOfYL1egq/24Y14zjMRdsfV6KLzgaJghNUhRVahsSks=',
};

/** The same delivery during a secret rotation: one entry per live secret. */
export const ROTATION_VECTOR: WebhookVector = {
  ...NON_ASCII_VECTOR,
  name: 'Portico delivery during a secret rotation',
  secrets: [PORTICO_TEST_SECRET, PORTICO_ROTATED_TEST_SECRET],
  signature:
    'v1,tOfYL1egq/24Y14zjMRdsfV6KLzgaJghNUhRVahsSks= v1,MQxaGPrIcyTgfWd/+PeXm4mDn9hx8zgVRW0r8BljAHs=',
};

export const WEBHOOK_VECTORS: readonly WebhookVector[] = [
  SPEC_EXAMPLE_VECTOR,
  NON_ASCII_VECTOR,
  ROTATION_VECTOR,
];
