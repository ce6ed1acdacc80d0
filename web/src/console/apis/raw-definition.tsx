import type { FieldError } from '../../api/client.ts';

interface Props {
  id: string;
  text: string;
  onChange: (text: string) => void;
  readOnly: boolean;
  /** Why the text could not be read as a definition. */
  parseError: string | undefined;
  /** The save's errors to list above the text. */
  errors: readonly FieldError[];
}

/** The whole definition as JSON, with the problems the form cannot show listed above it. */
export function RawDefinition({ id, text, onChange, readOnly, parseError, errors }: Props) {
  const errorsId = `${id}-errors`;
  const parseId = `${id}-parse`;
  const described = [errors.length ? errorsId : '', parseError ? parseId : ''].filter(Boolean).join(' ');
  return (
    <div className="raw-definition">
      {errors.length > 0 ? (
        <div id={errorsId} className="alert alert-error">
          <p className="alert-title">Problems in the definition:</p>
          <ul>
            {errors.map((error) => (
              <li key={`${error.pointer ?? error.path ?? ''}:${error.message}`}>
                <code>{error.pointer ?? error.path ?? '/'}</code> {error.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {parseError ? (
        <p id={parseId} className="field-error" role="alert">
          {parseError}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={id}>Definition (JSON)</label>
        <textarea
          id={id}
          className="code-input"
          rows={28}
          spellCheck={false}
          value={text}
          readOnly={readOnly}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={parseError || errors.length ? true : undefined}
          aria-describedby={described || undefined}
        />
      </div>
    </div>
  );
}
