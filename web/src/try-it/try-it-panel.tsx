import { useSession } from '../auth/session-context.tsx';
import type { OpenApiDocument } from '../docs/openapi.ts';
import type { Operation } from '../docs/operations.ts';
import { Badge } from '../ui/badges.tsx';
import { TryItForm } from './try-it-form.tsx';

/**
 * Calls the operation in the sandbox with a token of one of the developer's apps. The sandbox answers
 * from the API's sandbox upstream, or from its mock when it has none.
 */
export function TryItPanel({ document, operation }: { document: OpenApiDocument; operation: Operation }) {
  const { signedIn, signIn } = useSession();
  return (
    <div className="try-it">
      <div className="try-it-head">
        <h4>Try it</h4>
        <Badge tone="info">Sandbox</Badge>
      </div>
      <p className="muted">
        Calls go to the sandbox: the API’s sandbox service answers, or its mock when it has none.
      </p>
      {signedIn ? (
        <TryItForm document={document} operation={operation} />
      ) : (
        <div className="try-it-signed-out">
          <p className="try-it-lead">Sign in to try this API with your sandbox credentials.</p>
          <button
            type="button"
            className="button button-primary"
            onClick={() => signIn(`${window.location.pathname}#${operation.anchor}`)}
          >
            Sign in
          </button>
        </div>
      )}
    </div>
  );
}
