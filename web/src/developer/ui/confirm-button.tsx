import { type ReactNode, useEffect, useRef, useState } from 'react';

interface Props {
  /** The button that asks: "Revoke". */
  children: ReactNode;
  /** Its accessible name when the visible text is not enough: "Revoke ak_123". */
  label?: string;
  /** What will happen, asked as a question. */
  question: ReactNode;
  /** The button that does it: "Revoke the credential". */
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
}

/** A destructive action asked twice, in place: the question and its two answers replace the button. */
export function ConfirmButton({ children, label, question, confirmLabel, busy = false, onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const ask = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) cancel.current?.focus();
    else if (wasAsking.current) ask.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <button
        ref={ask}
        type="button"
        className="button button-small dev-button-danger"
        aria-label={label}
        onClick={() => setAsking(true)}
        disabled={busy}
      >
        {children}
      </button>
    );
  }
  return (
    <fieldset className="dev-confirm">
      <legend>{question}</legend>
      <div className="dev-actions">
        <button
          type="button"
          className="button button-small dev-button-danger-solid"
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button ref={cancel} type="button" className="button button-small" onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
