import { formatDateTime } from './format.ts';

interface Props {
  refreshing: boolean;
  onRefresh: () => void;
  /** When the figures shown were read (ISO), announced after each refresh. */
  asOf?: string | undefined;
}

/** Loads a page's figures again, saying when those shown are from. */
export function RefreshButton({ refreshing, onRefresh, asOf }: Props) {
  return (
    <div className="refresh">
      <span className="muted small" role="status">
        {refreshing ? 'Refreshing…' : asOf ? `As of ${formatDateTime(asOf)}` : ''}
      </span>
      <button type="button" className="button" onClick={onRefresh} disabled={refreshing}>
        Refresh
      </button>
    </div>
  );
}
