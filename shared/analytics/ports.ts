import type { AggregateCell, Grain } from './aggregate-cells.ts';
import type { ErrorReport } from './call-chain.ts';
import type { RequestLogRecord } from './request-log.ts';

/** Which cell: a dimension (`calls#api=orders`) and a period (`MIN#2026-12-03T20:31`). */
export type CellKey = Pick<AggregateCell, 'dimension' | 'period'>;

/**
 * A cell as stored: its counters, and for each stream shard the sequence number of the last record of
 * that shard counted in it. Records of a shard arrive in order, so a record at or before its shard's
 * mark is in the counters already: a cell read again (a retry, a bisected batch, a replayed range)
 * gains nothing from it.
 */
export interface StoredCell extends AggregateCell {
  counted: Record<string, string>;
  /** Raised by every write; a write names the version it read. */
  version: number;
}

/**
 * Where aggregates are kept. Each cell is read, added to and written back whole, conditioned on the
 * version read: two writers of one cell (readers of different shards) never lose each other's counts,
 * and no write needs another item, so a batch's cells are written independently and in any order.
 */
export interface AggregateStore {
  /** The stored cells among `keys`, read strongly; a cell never written is left out. */
  load(keys: readonly CellKey[]): Promise<StoredCell[]>;
  /**
   * Writes `cell` as the version after `read` (undefined: the cell must not exist yet). False, writing
   * nothing, when the stored cell is no longer that version.
   */
  save(cell: AggregateCell & Pick<StoredCell, 'counted'>, read: number | undefined): Promise<boolean>;
  /** The cells of one dimension at one grain whose periods start within [from, to] (ISO times). */
  read(dimension: string, grain: Grain, from: string, to: string): Promise<AggregateCell[]>;
}

/** A request-log search: a time range (ISO), any of the filters, newest first. */
export interface LogQuery {
  from: string;
  to: string;
  app?: string;
  api?: string;
  status?: number;
  requestId?: string;
  traceId?: string;
  limit: number;
}

export interface LogSearchResult {
  records: RequestLogRecord[];
  /** The search stopped at its bound before reading the whole range: narrow the range or the filters. */
  incomplete?: true;
}

/** Searches the stored request logs (the objects the delivery stream wrote). */
export interface LogSearch {
  search(query: LogQuery): Promise<LogSearchResult>;
}

/** Providers' error reports, by trace. */
export interface ErrorReportStore {
  /** Keeps `report` until `expiresAt` (epoch seconds). */
  add(report: ErrorReport, expiresAt: number): Promise<void>;
  forTrace(traceId: string): Promise<ErrorReport[]>;
}

/** A credential an API's provider reports errors with: its secret is kept only as a SHA-256 hash. */
export interface ProviderKey {
  keyId: string;
  api: string;
  secretHash: string;
  createdAt: string;
  createdBy: string;
}

export interface ProviderKeyStore {
  create(key: ProviderKey): Promise<void>;
  get(keyId: string): Promise<ProviderKey | undefined>;
  /** False when no key of `api` has this id. */
  delete(api: string, keyId: string): Promise<boolean>;
}
