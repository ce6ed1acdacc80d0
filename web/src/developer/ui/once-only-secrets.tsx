import { type ReactNode, useEffect, useId, useRef } from 'react';
import { CopyButton } from './copy-button.tsx';

export interface SecretRow {
  /** "Client ID", "Client secret", "Signing secret". */
  label: string;
  value: string;
  /** Secrets are what must be copied now; ids can be read again later. */
  secret: boolean;
}

export interface SecretGroup {
  key: string;
  title: string;
  rows: SecretRow[];
}

interface Props {
  title: string;
  /** The heading level among the page's headings. */
  level: 2 | 3;
  groups: SecretGroup[];
  /** Anything else to know: how long an old secret keeps working. */
  children?: ReactNode;
  onDone: () => void;
}

/**
 * Secrets the platform answers once: shown here with copy buttons and a warning, kept only in this
 * component's state (gone once dismissed or the page is left), and taken focus so they are not missed.
 */
export function OnceOnlySecrets({ title, level, groups, children, onDone }: Props) {
  const headingId = useId();
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    panel.current?.focus();
  }, []);
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section ref={panel} className="dev-secrets" aria-labelledby={headingId} tabIndex={-1}>
      <Heading id={headingId} className="dev-card-title">
        {title}
      </Heading>
      <p className="dev-warning">
        <strong>Copy the secrets now: they are shown only this once.</strong> Portico keeps no copy it can
        show you again. Store them where your app reads its configuration, never in source code.
      </p>
      {children}
      {groups.map((group) => (
        <div key={group.key} className="dev-secret-group">
          <p className="dev-secret-group-title">{group.title}</p>
          <dl className="dev-secret-list">
            {group.rows.map((row) => (
              <div key={row.label} className="dev-secret-row">
                <dt>{row.label}</dt>
                <dd>
                  <code className={row.secret ? 'dev-secret-value' : undefined}>{row.value}</code>
                  <CopyButton text={row.value} label={`${group.title} ${row.label.toLowerCase()}`} />
                </dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
      <button type="button" className="button button-primary" onClick={onDone}>
        I have stored them
      </button>
    </section>
  );
}
