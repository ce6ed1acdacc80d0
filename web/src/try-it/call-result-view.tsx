import { StatusCode } from '../ui/badges.tsx';
import { CodeBlock } from '../ui/code-block.tsx';
import { type CallResult, formatBody } from './send-call.ts';

export function CallResultView({ result }: { result: CallResult }) {
  const body = formatBody(result.body);
  return (
    <div className="call-result">
      <p className="call-status">
        <StatusCode status={result.status} /> {result.statusText}
        <span className="muted"> · {result.durationMs} ms</span>
      </p>
      {result.problem ? (
        <div className="alert alert-error">
          <p className="alert-title">{result.problem.title}</p>
          {result.problem.detail ? <p>{result.problem.detail}</p> : null}
          {result.problem.errors?.length ? (
            <ul>
              {result.problem.errors.map((error) => (
                <li key={`${error.pointer ?? error.path ?? ''}:${error.message}`}>
                  {error.pointer || error.path ? <code>{error.pointer ?? error.path}</code> : null}{' '}
                  {error.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {result.headers.length > 0 ? (
        <dl className="call-headers">
          {result.headers.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {body ? <CodeBlock code={body} label="response body" /> : <p className="muted">No body.</p>}
    </div>
  );
}
