import { ApiError } from '../api/client.ts';

interface Props {
  error: unknown;
  /** What was being done, e.g. "The API catalog could not be loaded." */
  context?: string;
}

/** An error for the user: a problem's title, detail and field errors, and its request id to quote. */
export function ProblemMessage({ error, context }: Props) {
  const problem = error instanceof ApiError ? error : undefined;
  const title = problem?.title ?? (error instanceof Error ? error.message : 'Something went wrong.');
  return (
    <div className="alert alert-error" role="alert">
      {context ? <p className="alert-title">{context}</p> : null}
      <p>
        {problem && problem.status > 0 ? <span className="status-code">{problem.status}</span> : null} {title}
      </p>
      {problem?.detail && problem.detail !== title ? <p>{problem.detail}</p> : null}
      {problem && problem.errors.length > 0 ? (
        <ul>
          {problem.errors.map((fieldError) => (
            <li key={`${fieldError.pointer ?? fieldError.path ?? ''}:${fieldError.message}`}>
              {fieldError.pointer || fieldError.path ? (
                <code>{fieldError.pointer ?? fieldError.path}</code>
              ) : null}{' '}
              {fieldError.message}
            </li>
          ))}
        </ul>
      ) : null}
      {problem?.instance ? <p className="muted">Request id: {problem.instance}</p> : null}
    </div>
  );
}
