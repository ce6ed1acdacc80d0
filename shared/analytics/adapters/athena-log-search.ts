import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { DELIVERY_LAG_MS, newestFirst } from '../log-query.ts';
import type { LogQuery, LogSearch, LogSearchResult } from '../ports.ts';
import type { RequestLogRecord } from '../request-log.ts';
import { hourPath, REQUEST_LOG_FIELDS } from '../request-log-layout.ts';

export interface AthenaLogSearchOptions {
  workGroup: string;
  database: string;
  table: string;
  /** How long a search may run before it is given up. Default 20 s (API Gateway answers by 30 s). */
  timeoutMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const STRUCTS = new Set(['request', 'response']);
const NUMBERS = new Set(['status', 'latencyMs', 'upstreamLatencyMs', 'bytesIn', 'bytesOut']);
const BOOLEANS = new Set(['mock', 'sandbox']);

/**
 * The search as one Athena query over the Glue table of the log objects: the hour partitions of the
 * range (projection: no partition upkeep), the filters as execution parameters (never spliced into the
 * SQL), newest first. The two message structs come back as JSON.
 */
export function athenaSql(query: LogQuery, table: string): { sql: string; parameters: string[] } {
  const parameters = [
    `'${hourPath(Date.parse(query.from))}'`,
    `'${hourPath(Date.parse(query.to) + DELIVERY_LAG_MS)}'`,
    `'${query.from}'`,
    `'${query.to}'`,
  ];
  const where = ['hour BETWEEN ? AND ?', '"timestamp" BETWEEN ? AND ?'];
  const text = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    parameters.push(`'${value.replace(/'/g, "''")}'`);
  };
  text('appid', query.app);
  text('api', query.api);
  text('requestid', query.requestId);
  text('traceid', query.traceId);
  if (query.status !== undefined) {
    where.push('status = ?');
    parameters.push(String(Math.trunc(query.status)));
  }
  const columns = REQUEST_LOG_FIELDS.map(([field]) =>
    STRUCTS.has(field) ? `json_format(CAST(${field} AS JSON)) AS ${field}` : `"${field.toLowerCase()}"`,
  );
  return {
    sql: `SELECT ${columns.join(', ')} FROM ${table} WHERE ${where.join(' AND ')} ORDER BY "timestamp" DESC LIMIT ${Math.trunc(query.limit)}`,
    parameters,
  };
}

/** One result row (VarCharValue per column, in REQUEST_LOG_FIELDS order) as a record. */
export function recordOfRow(values: readonly (string | undefined)[]): RequestLogRecord {
  const record: Record<string, unknown> = { v: 1, kind: 'request' };
  REQUEST_LOG_FIELDS.forEach(([field], i) => {
    const value = values[i];
    if (value === undefined || value === '') return;
    if (STRUCTS.has(field)) {
      const parsed = JSON.parse(value) as {
        headers?: Record<string, string>;
        body?: string;
        truncated?: boolean;
      };
      record[field] = {
        headers: parsed.headers ?? {},
        ...(parsed.body != null ? { body: parsed.body } : {}),
        ...(parsed.truncated ? { truncated: true } : {}),
      };
    } else if (NUMBERS.has(field)) record[field] = Number(value);
    else if (BOOLEANS.has(field)) record[field] = value === 'true';
    else record[field] = value;
  });
  return record as unknown as RequestLogRecord;
}

export class AthenaLogSearch implements LogSearch {
  constructor(
    private readonly athena: AthenaClient,
    private readonly options: AthenaLogSearchOptions,
  ) {}

  async search(query: LogQuery): Promise<LogSearchResult> {
    const { workGroup, database, table } = this.options;
    const { sql, parameters } = athenaSql(query, `"${database}"."${table}"`);
    const { QueryExecutionId } = await this.athena.send(
      new StartQueryExecutionCommand({
        WorkGroup: workGroup,
        QueryString: sql,
        ExecutionParameters: parameters,
      }),
    );
    await this.finished(QueryExecutionId!);
    const records: RequestLogRecord[] = [];
    let token: string | undefined;
    let header = true;
    do {
      const page = await this.athena.send(
        new GetQueryResultsCommand({ QueryExecutionId, NextToken: token, MaxResults: 1000 }),
      );
      for (const row of page.ResultSet?.Rows ?? []) {
        // The first row of the first page names the columns.
        if (header) {
          header = false;
          continue;
        }
        records.push(recordOfRow((row.Data ?? []).map((d) => d.VarCharValue)));
      }
      token = page.NextToken;
    } while (token);
    return { records: newestFirst(records, query.limit) };
  }

  private async finished(id: string): Promise<void> {
    const sleep = this.options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
    const deadline = Date.now() + (this.options.timeoutMs ?? 20_000);
    for (;;) {
      const { QueryExecution } = await this.athena.send(
        new GetQueryExecutionCommand({ QueryExecutionId: id }),
      );
      const state = QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') return;
      if (state === 'FAILED' || state === 'CANCELLED')
        throw new Error(
          `request-log search ${id} ${state}: ${QueryExecution?.Status?.StateChangeReason ?? ''}`,
        );
      if (Date.now() > deadline) throw new Error(`request-log search ${id} still ${state} after its time`);
      await sleep(this.options.pollMs ?? 500);
    }
  }
}
