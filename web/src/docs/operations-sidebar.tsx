import { MethodBadge } from '../ui/badges.tsx';
import type { PathGroup } from './operations.ts';

export function OperationsSidebar({ groups, hasErrors }: { groups: PathGroup[]; hasErrors: boolean }) {
  return (
    <nav aria-label="On this page" className="reference-nav">
      <p className="reference-nav-title">Overview</p>
      <ul>
        <li>
          <a href="#overview">Introduction</a>
        </li>
        <li>
          <a href="#authentication">Authentication</a>
        </li>
        <li>
          <a href="#rate-limits">Rate limits</a>
        </li>
        {hasErrors ? (
          <li>
            <a href="#errors">Errors</a>
          </li>
        ) : null}
      </ul>
      <p className="reference-nav-title">Endpoints</p>
      {groups.map((group) => (
        <div key={group.path} className="reference-nav-group">
          <p className="reference-nav-path">
            <code>{group.path}</code>
          </p>
          <ul>
            {group.operations.map((operation) => (
              <li key={operation.anchor}>
                <a href={`#${operation.anchor}`} className="operation-link">
                  <MethodBadge method={operation.method} />
                  <span className={operation.deprecated ? 'is-deprecated' : undefined}>
                    {operation.summary}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
