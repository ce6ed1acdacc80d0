import type { AthenaClient } from '@aws-sdk/client-athena';
import { describe, expect, it } from 'vitest';
import { REQUEST_LOG_FIELDS } from '../request-log-layout.ts';
import { AthenaLogSearch, athenaSql, recordOfRow } from './athena-log-search.ts';

const QUERY = {
  from: '2030-01-01T10:15:00.000Z',
  to: '2030-01-01T11:40:00.000Z',
  app: 'app_1',
  api: 'orders',
  status: 503,
  traceId: '0af7651916cd43dd8448eb211c80319c',
  limit: 20,
};

/** An Athena client answering from a script; records what it was sent. */
function fakeAthena(states: string[], rows: (string | undefined)[][]) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      switch (command.constructor.name) {
        case 'StartQueryExecutionCommand':
          return { QueryExecutionId: 'q-1' };
        case 'GetQueryExecutionCommand':
          return {
            QueryExecution: { Status: { State: states.shift() ?? 'SUCCEEDED', StateChangeReason: 'bad' } },
          };
        default:
          return {
            ResultSet: {
              Rows: [
                { Data: REQUEST_LOG_FIELDS.map(([f]) => ({ VarCharValue: f.toLowerCase() })) },
                ...rows.map((r) => ({ Data: r.map((v) => ({ VarCharValue: v })) })),
              ],
            },
          };
      }
    },
  } as unknown as AthenaClient;
  return { client, sent };
}

const options = { workGroup: 'wg', database: 'db', table: 'requests', sleep: async () => {} };

describe('AthenaLogSearch', () => {
  it('reads only the hours of the range (and the delivery lag), with every filter a parameter', () => {
    const { sql, parameters } = athenaSql({ ...QUERY, requestId: "x' OR '1'='1" }, '"db"."requests"');
    expect(sql).toMatch(
      /^SELECT .* FROM "db"."requests" WHERE hour BETWEEN \? AND \? AND "timestamp" BETWEEN \? AND \? AND appid = \? AND api = \? AND requestid = \? AND traceid = \? AND status = \? ORDER BY "timestamp" DESC LIMIT 20$/,
    );
    expect(sql).toContain('json_format(CAST(request AS JSON)) AS request');
    expect(sql).not.toContain('app_1');
    expect(parameters).toEqual([
      "'2030/01/01/10'",
      "'2030/01/01/11'",
      `'${QUERY.from}'`,
      `'${QUERY.to}'`,
      "'app_1'",
      "'orders'",
      "'x'' OR ''1''=''1'",
      `'${QUERY.traceId}'`,
      '503',
    ]);
  });

  it('turns result rows back into records', () => {
    const values = REQUEST_LOG_FIELDS.map(
      ([field]) =>
        ({
          requestId: 'r1',
          timestamp: '2030-01-01T10:20:00.000Z',
          api: 'orders',
          status: '503',
          latencyMs: '12.5',
          mock: 'false',
          request: '{"headers":{"authorization":"[REDACTED]"},"body":"{}","truncated":null}',
          response: '{"headers":{},"body":null,"truncated":true}',
        })[field as string],
    );
    expect(recordOfRow(values)).toEqual({
      v: 1,
      kind: 'request',
      requestId: 'r1',
      timestamp: '2030-01-01T10:20:00.000Z',
      api: 'orders',
      status: 503,
      latencyMs: 12.5,
      mock: false,
      request: { headers: { authorization: '[REDACTED]' }, body: '{}' },
      response: { headers: {}, truncated: true },
    });
  });

  it('runs the query in its workgroup, waits for it, and skips the header row', async () => {
    const row = REQUEST_LOG_FIELDS.map(
      ([field]) => ({ requestId: 'r1', timestamp: '2030-01-01T10:20:00.000Z' })[field as string],
    );
    const { client, sent } = fakeAthena(['QUEUED', 'RUNNING'], [row]);
    const result = await new AthenaLogSearch(client, options).search(QUERY);
    expect(result.records.map((r) => r.requestId)).toEqual(['r1']);
    expect(sent.map((s) => s.name)).toEqual([
      'StartQueryExecutionCommand',
      'GetQueryExecutionCommand',
      'GetQueryExecutionCommand',
      'GetQueryExecutionCommand',
      'GetQueryResultsCommand',
    ]);
    expect(sent[0]!.input).toMatchObject({ WorkGroup: 'wg' });
  });

  it('fails a search Athena failed, or one still running past its time', async () => {
    await expect(
      new AthenaLogSearch(fakeAthena(['FAILED'], []).client, options).search(QUERY),
    ).rejects.toThrow(/FAILED/);
    const slow = fakeAthena(Array(100).fill('RUNNING'), []);
    await expect(
      new AthenaLogSearch(slow.client, { ...options, timeoutMs: -1 }).search(QUERY),
    ).rejects.toThrow(/still RUNNING/);
  });
});
