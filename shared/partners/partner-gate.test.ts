import { describe, expect, it } from 'vitest';
import { INITIAL_HEALTH } from './health-machine.ts';
import { PartnerHealthReader } from './health-reader.ts';
import { DEFAULT_HEALTH_POLICY } from './partner.ts';
import { PartnerGate } from './partner-gate.ts';
import type { PartnerSnapshot } from './partner-health.ts';

const snapshot = (phase: PartnerSnapshot['automatic']['phase'], step = 0): PartnerSnapshot => ({
  partnerId: 'p',
  automatic: { ...INITIAL_HEALTH, phase, step },
  policy: { ...DEFAULT_HEALTH_POLICY, maxLatencyMs: 500 },
  notices: [],
  switches: { partnerNotices: true },
  readAt: Date.now(),
});

describe('the partner gate', () => {
  const gate = (s: PartnerSnapshot | undefined) => {
    const recorded: unknown[] = [];
    const reader = new PartnerHealthReader(async () => s);
    return {
      gate: new PartnerGate(reader, { record: (id, call) => void recorded.push({ id, ...call }) }),
      recorded,
    };
  };

  it('lets every call through to a healthy or unknown partner, none to an unhealthy one', async () => {
    expect(await gate(snapshot('healthy')).gate.refusal('p')).toBeUndefined();
    expect(await gate(undefined).gate.refusal('p')).toBeUndefined();
    const refusal = await gate(snapshot('unhealthy')).gate.refusal('p');
    expect(refusal).toMatchObject({ code: 'partner-unavailable', hints: { retryAfterSeconds: 30 } });
  });

  it("lets the ramp step's share through: 5 % of 1000 calls", async () => {
    const { gate: g } = gate(snapshot('ramping', 1));
    let admitted = 0;
    for (let i = 0; i < 1000; i++) if (!(await g.refusal('p'))) admitted++;
    expect(admitted).toBe(50);
  });

  it("counts a call as slow by the partner's own latency threshold", async () => {
    const { gate: g, recorded } = gate(snapshot('healthy'));
    await g.refusal('p');
    g.record('p', { ok: true, latencyMs: 600 });
    expect(recorded).toEqual([{ id: 'p', ok: true, latencyMs: 600, slowAfterMs: 500 }]);
  });
});
