import { guardedAgents } from '../../egress/adapters/guarded-agents.ts';
import { type EgressGuard, isEgressDenied } from '../../egress/guard.ts';
import type { FetchedAnswer, NoticeFetcher, Prober } from '../ports.ts';

/** A partner's answer larger than this is refused: a notice list is kilobytes. */
const MAX_ANSWER_BYTES = 1024 * 1024;

type Exchange =
  | { ok: true; status: number; body: Buffer }
  | { ok: false; reason: 'timeout' | 'connection' | 'egress-refused' | 'too-large'; detail: string };

/**
 * One request to a partner over egress-guarded agents (the policy checks the URL and every address
 * connected to): no redirect followed, the whole exchange under `timeoutMs`, the answer bounded.
 */
function exchange(
  connectionFor: ReturnType<typeof guardedAgents>,
  egress: EgressGuard,
  request: { url: string; method: string; body?: Buffer; timeoutMs: number },
): Promise<Exchange> {
  return new Promise((resolve) => {
    const target = new URL(request.url);
    const decision = egress.checkUrl(target);
    if (!decision.allowed) {
      resolve({ ok: false, reason: 'egress-refused', detail: decision.reason });
      return;
    }
    let settled = false;
    const finish = (outcome: Exchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!outcome.ok) outgoing.destroy();
      resolve(outcome);
    };
    const { client, agent } = connectionFor(target);
    const outgoing = client.request(target, {
      method: request.method,
      agent,
      headers: {
        'user-agent': 'portico-partner-health',
        ...(request.body
          ? { 'content-type': 'application/json', 'content-length': String(request.body.length) }
          : {}),
      },
    });
    const timer = setTimeout(
      () => finish({ ok: false, reason: 'timeout', detail: `no answer within ${request.timeoutMs} ms` }),
      request.timeoutMs,
    );
    outgoing.on('error', (error) =>
      finish(
        isEgressDenied(error)
          ? { ok: false, reason: 'egress-refused', detail: error.reason }
          : { ok: false, reason: 'connection', detail: 'the partner could not be reached' },
      ),
    );
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES)
          finish({ ok: false, reason: 'too-large', detail: `over ${MAX_ANSWER_BYTES} bytes` });
        else chunks.push(chunk);
      });
      response.on('error', () =>
        finish({ ok: false, reason: 'connection', detail: 'the connection failed mid-answer' }),
      );
      response.on('end', () =>
        finish({ ok: true, status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
      );
    });
    outgoing.end(request.body);
  });
}

/** POSTs signed polls and reads JSON answers; a non-2xx answer or one that is not JSON is a failed poll. */
export function noticeFetcher(egress: EgressGuard): NoticeFetcher {
  const connectionFor = guardedAgents(egress, { maxSockets: 16 });
  return async ({ url, body, timeoutMs }): Promise<FetchedAnswer> => {
    const answer = await exchange(connectionFor, egress, {
      url,
      method: 'POST',
      body: Buffer.from(JSON.stringify(body)),
      timeoutMs,
    });
    if (!answer.ok) {
      return {
        ok: false,
        reason: answer.reason === 'too-large' ? 'not-json' : answer.reason,
        detail: answer.detail,
      };
    }
    if (answer.status < 200 || answer.status > 299) {
      return { ok: false, reason: 'http-status', detail: `HTTP ${answer.status}` };
    }
    try {
      return { ok: true, status: answer.status, body: JSON.parse(answer.body.toString('utf8')) };
    } catch {
      return { ok: false, reason: 'not-json', detail: 'the answer is not JSON' };
    }
  };
}

/** Probes a partner's probe target: an answer in its passing status range passes. */
export function prober(egress: EgressGuard): Prober {
  const connectionFor = guardedAgents(egress, { maxSockets: 16 });
  return async (target) => {
    const answer = await exchange(connectionFor, egress, {
      url: target.url,
      method: target.method,
      timeoutMs: target.timeoutMs,
    });
    if (!answer.ok) return { passed: false, detail: `${answer.reason}: ${answer.detail}` };
    const passed = answer.status >= target.passStatus.min && answer.status <= target.passStatus.max;
    return { passed, detail: `HTTP ${answer.status}` };
  };
}
