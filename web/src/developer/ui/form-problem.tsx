import { ApiError, type FieldError } from '../../api/client.ts';

interface Props {
  error: unknown;
  /** What failed: "The app could not be created." */
  context: string;
  /** Complaints not shown against a field of the form. */
  others?: FieldError[];
}

/** A failed submit: what failed and why; complaints about fields are shown against the fields instead. */
export function FormProblem({ error, context, others }: Props) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error : undefined;
  const title = problem?.title ?? (error instanceof Error ? error.message : 'Something went wrong.');
  const rest = others ?? problem?.errors ?? [];
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-title">{context}</p>
      <p>
        {problem && problem.status > 0 ? <span className="status-code">{problem.status}</span> : null} {title}
      </p>
      {problem?.detail && problem.detail !== title ? <p>{problem.detail}</p> : null}
      {rest.length > 0 ? (
        <ul>
          {rest.map((fieldError) => (
            <li key={`${fieldError.pointer ?? fieldError.path ?? ''}:${fieldError.message}`}>
              {fieldError.pointer || fieldError.path ? (
                <code>{fieldError.pointer ?? fieldError.path}</code>
              ) : null}{' '}
              {fieldError.message}
            </li>
          ))}
        </ul>
      ) : null}
      {problem?.instance ? <p className="dev-small">Request id: {problem.instance}</p> : null}
    </div>
  );
}
