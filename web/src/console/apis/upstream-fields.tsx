import { describedBy, FieldErrors } from '../ui/field.tsx';
import type { UpstreamRow } from './definition-form.ts';
import type { FieldKey } from './problem-fields.ts';

interface Props {
  idBase: string;
  rows: UpstreamRow[];
  onChange: (rows: UpstreamRow[]) => void;
  onAdd: () => void;
  errorsOf: (field: FieldKey) => readonly string[] | undefined;
}

/** What an upstream that is not an HTTP server is, in words (it is edited in the raw JSON). */
function describeOther(upstream: Record<string, unknown>): string {
  if (typeof upstream.lambda === 'string') return `Lambda function ${upstream.lambda}`;
  if (typeof upstream.queue === 'string') return `SQS queue ${upstream.queue}`;
  if (typeof upstream.eventBus === 'string') return `EventBridge bus ${upstream.eventBus}`;
  return JSON.stringify(upstream);
}

export const upstreamInputId = (idBase: string, rowId: number) => `${idBase}-upstream-${rowId}`;

/** The API's servers: a URL input per HTTP server, the other kinds listed as they are. */
export function UpstreamFields({ idBase, rows, onChange, onAdd, errorsOf }: Props) {
  const listId = `${idBase}-upstreams`;
  const listErrors = errorsOf('upstreams');
  const setUrl = (id: number, url: string) =>
    onChange(rows.map((row) => (row.id === id && row.kind === 'http' ? { ...row, url } : row)));
  const remove = (id: number) => onChange(rows.filter((row) => row.id !== id));
  return (
    <fieldset className="fieldset" aria-describedby={describedBy(listId, true, Boolean(listErrors))}>
      <legend>Upstreams</legend>
      <p id={`${listId}-hint`} className="field-hint">
        The servers calls are forwarded to (HTTP or HTTPS URLs). Functions, queues and buses are edited in the
        raw JSON.
      </p>
      <FieldErrors id={listId} errors={listErrors} />
      <ul className="upstream-list">
        {rows.map((row, index) => {
          const inputId = upstreamInputId(idBase, row.id);
          const errors = errorsOf(`upstreams.${index}`);
          const label = `Upstream ${index + 1}`;
          return (
            <li key={row.id} className={errors ? 'field field-invalid' : 'field'}>
              {row.kind === 'http' ? (
                <>
                  <label htmlFor={inputId}>{label} URL</label>
                  <FieldErrors id={inputId} errors={errors} />
                  <div className="input-row">
                    <input
                      id={inputId}
                      type="url"
                      value={row.url}
                      spellCheck={false}
                      onChange={(e) => setUrl(row.id, e.target.value)}
                      aria-invalid={errors ? true : undefined}
                      aria-describedby={describedBy(inputId, false, Boolean(errors))}
                    />
                    <button type="button" className="button button-small" onClick={() => remove(row.id)}>
                      Remove<span className="visually-hidden"> {label.toLowerCase()}</span>
                    </button>
                  </div>
                </>
              ) : (
                <>
                  <span className="field-label" id={inputId}>
                    {label}: {describeOther(row.upstream)}
                  </span>
                  <FieldErrors id={inputId} errors={errors} />
                </>
              )}
            </li>
          );
        })}
      </ul>
      <button type="button" className="button button-small" onClick={onAdd}>
        Add an upstream URL
      </button>
    </fieldset>
  );
}
