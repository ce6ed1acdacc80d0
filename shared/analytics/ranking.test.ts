import { describe, expect, it } from 'vitest';
import { cellsOf } from './aggregate-cells.ts';
import { ranking, rankingDimension, rankingQueryOf } from './ranking.ts';
import { sampleCallRecord } from './testing/call-record.fixture.ts';
import { sumCells } from './testing/sum-cells.ts';

const range = { grain: 'minute' as const, from: '2030-01-01T10:00:00.000Z', to: '2030-01-01T11:00:00.000Z' };
const calls = [
  ...Array.from({ length: 5 }, () => ({ api: 'orders', status: 200 })),
  ...Array.from({ length: 3 }, () => ({ api: 'stock', status: 503 })),
  ...Array.from({ length: 3 }, () => ({ api: 'ledger', status: 200 })),
  { api: 'ledger', status: 504, errorType: 'upstream-timeout' },
];
const cells = sumCells(
  calls.flatMap((c, i) =>
    cellsOf(
      sampleCallRecord({
        ...c,
        partnerId: i % 2 ? 'acme' : 'globex',
        appId: i < 7 ? 'app_big' : 'app_small',
        timestamp: `2030-01-01T10:0${i % 3}:00Z`,
      }),
    ),
  ),
).filter((c) => c.period.startsWith('MIN#'));
const of = (dimension: string) => cells.filter((c) => c.dimension === dimension);

describe('rankings', () => {
  it('ranks APIs by calls or by errors over every period of the range, ties by name', () => {
    const byCalls = ranking(rankingQueryOf(new Map([['of', 'api']])), range, of(rankingDimension('api')));
    expect(byCalls.items).toEqual([
      { api: 'orders', calls: 5, errors: 0, errorRate: 0 },
      { api: 'ledger', calls: 4, errors: 1, errorRate: 0.25 },
      { api: 'stock', calls: 3, errors: 3, errorRate: 1 },
    ]);
    const byErrors = ranking(
      rankingQueryOf(
        new Map([
          ['of', 'api'],
          ['by', 'errors'],
          ['limit', '1'],
        ]),
      ),
      range,
      of(rankingDimension('api')),
    );
    expect(byErrors.items).toEqual([{ api: 'stock', calls: 3, errors: 3, errorRate: 1 }]);
    const partners = ranking(
      rankingQueryOf(new Map([['of', 'partner']])),
      range,
      of(rankingDimension('partner')),
    );
    expect(partners.items.map((p) => [p.partner, p.calls])).toEqual([
      ['acme', 6],
      ['globex', 6],
    ]);
  });

  it('ranks apps from their bounded summaries, exactly while there are few, saying how far off it may be', () => {
    const apps = ranking(rankingQueryOf(new Map([['of', 'app']])), range, of(rankingDimension('app')));
    expect(apps.maxError).toBe(0);
    expect(apps.items).toEqual([
      { app: 'app_big', calls: 7, errors: 2, errorRate: 0.2857 },
      { app: 'app_small', calls: 5, errors: 2, errorRate: 0.4 },
    ]);
    const bounded = [
      { ...of(rankingDimension('app'))[0]!, counters: { 'count:app_a': 9, 'floor:count': 2 } },
    ];
    expect(ranking(rankingQueryOf(new Map([['of', 'app']])), range, [...bounded, ...bounded]).maxError).toBe(
      4,
    );
  });

  it('refuses what it cannot rank', () => {
    for (const params of [
      [],
      [['of', 'client']],
      [
        ['of', 'api'],
        ['by', 'latency'],
      ],
      [
        ['of', 'api'],
        ['limit', '0'],
      ],
      [
        ['of', 'api'],
        ['limit', '101'],
      ],
    ])
      expect(() => rankingQueryOf(new Map(params as [string, string][])), JSON.stringify(params)).toThrow();
  });
});
