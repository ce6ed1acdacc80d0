import { parseMarkdown } from './markdown.ts';
import { MarkdownView } from './markdown-view.tsx';
import type { OpenApiDocument } from './openapi.ts';
import { schemesOf } from './security.ts';

export function AuthenticationSection({ document }: { document: OpenApiDocument }) {
  const schemes = schemesOf(document);
  return (
    <section aria-labelledby="authentication" className="doc-section">
      <h2 id="authentication">Authentication</h2>
      {schemes.length === 0 ? <p>This API needs no credentials.</p> : null}
      {schemes.map((scheme) => (
        <div key={scheme.name} className="scheme">
          <h3>{scheme.title}</h3>
          {scheme.description ? <MarkdownView blocks={parseMarkdown(scheme.description)} /> : null}
          {scheme.tokenUrl ? (
            <p>
              Get a token with the {scheme.flow ?? 'OAuth 2.0'} grant at <code>{scheme.tokenUrl}</code>.
            </p>
          ) : null}
          {scheme.scopes.length > 0 ? (
            <table className="fields">
              <caption className="visually-hidden">Scopes of {scheme.title}</caption>
              <thead>
                <tr>
                  <th scope="col">Scope</th>
                  <th scope="col">Meaning</th>
                </tr>
              </thead>
              <tbody>
                {scheme.scopes.map(([scope, description]) => (
                  <tr key={scope}>
                    <th scope="row">
                      <code>{scope}</code>
                    </th>
                    <td>{description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ))}
    </section>
  );
}
