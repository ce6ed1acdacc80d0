import type { OpenApiDocument, SecurityRequirement } from './openapi.ts';
import { accessOptionsOf } from './security.ts';

/** How an operation is authenticated: each alternative, and the scopes it needs. */
export function AccessSummary({
  document,
  security,
}: {
  document: OpenApiDocument;
  security: SecurityRequirement[];
}) {
  const options = accessOptionsOf(document, security);
  if (options.length === 0) return <p className="access">No credentials needed.</p>;
  return (
    <div className="access">
      <p className="access-label">
        {options.length > 1 ? 'Authenticate with any one of:' : 'Authenticate with:'}
      </p>
      <ul>
        {options.map((option) => {
          const key = option.schemes.map((scheme) => scheme.name).join('+') || 'none';
          if (option.schemes.length === 0) return <li key={key}>no credentials</li>;
          return (
            <li key={key}>
              {option.schemes.map((scheme, position) => (
                <span key={scheme.name}>
                  {position > 0 ? ' and ' : null}
                  <a href="#authentication">{scheme.title}</a>
                  {scheme.scopes.length > 0 ? (
                    <>
                      {' with '}
                      {scheme.scopes.length > 1 ? 'scopes ' : 'scope '}
                      {scheme.scopes.map((scope, index) => (
                        <span key={scope}>
                          {index > 0 ? ', ' : null}
                          <code className="scope">{scope}</code>
                        </span>
                      ))}
                    </>
                  ) : null}
                </span>
              ))}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
