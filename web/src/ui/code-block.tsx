import { useState } from 'react';

interface Props {
  code: string;
  /** What the code is, for the copy button's accessible name: "curl command". */
  label: string;
}

/** Preformatted code with a copy button. */
export function CodeBlock({ code, label }: Props) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="code-block">
      <button
        type="button"
        className="button button-small copy-button"
        onClick={copy}
        aria-label={`Copy ${label}`}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
      <span className="visually-hidden" role="status">
        {copied ? `${label} copied` : ''}
      </span>
      <pre>
        <code>{code}</code>
      </pre>
    </div>
  );
}
