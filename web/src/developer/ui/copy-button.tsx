import { useState } from 'react';

interface Props {
  text: string;
  /** What is copied, for the button's accessible name: "client secret". */
  label: string;
}

/** Copies `text` to the clipboard and says so to screen readers too. */
export function CopyButton({ text, label }: Props) {
  const [outcome, setOutcome] = useState<'copied' | 'failed'>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome('copied');
    } catch {
      setOutcome('failed');
    }
    setTimeout(() => setOutcome(undefined), 3000);
  };
  return (
    <>
      <button type="button" className="button button-small" onClick={copy} aria-label={`Copy ${label}`}>
        {outcome === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span className="visually-hidden" role="status">
        {outcome === 'copied' ? `${label} copied` : ''}
      </span>
      {outcome === 'failed' ? (
        <span className="dev-field-error" role="alert">
          Copying is not allowed here: select the text and copy it.
        </span>
      ) : null}
    </>
  );
}
