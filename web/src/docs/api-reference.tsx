import type { ReactNode } from 'react';
import { Badge } from '../ui/badges.tsx';
import { CodeBlock } from '../ui/code-block.tsx';
import { overviewOf } from './api-overview.ts';
import { AuthenticationSection } from './authentication-section.tsx';
import { MarkdownView } from './markdown-view.tsx';
import type { OpenApiDocument, SchemaObject } from './openapi.ts';
import { OperationSection } from './operation-section.tsx';
import { operationsOf } from './operations.ts';
import { OperationsSidebar } from './operations-sidebar.tsx';
import { SchemaView } from './schema-view.tsx';

/** The schema of the problem details the operations answer with, if any does. */
function problemSchemaOf(groups: ReturnType<typeof operationsOf>): SchemaObject | undefined {
  for (const operation of groups.flatMap((group) => group.operations)) {
    for (const [, response] of operation.responses) {
      const schema = response.content?.['application/problem+json']?.schema;
      if (schema) return schema;
    }
  }
  return undefined;
}

interface Props {
  document: OpenApiDocument;
  documentUrl: string;
  /** Shown under the title: what a reader can do about the API (request access to it). */
  actions?: ReactNode;
}

/** An API's reference: overview, authentication, rate limits, errors and every operation. */
export function ApiReference({ document, documentUrl, actions }: Props) {
  const overview = overviewOf(document);
  const groups = operationsOf(document);
  const problemSchema = problemSchemaOf(groups);
  const deprecated = groups.some((group) => group.operations.some((operation) => operation.deprecated));
  return (
    <div className="reference">
      <OperationsSidebar groups={groups} hasErrors={problemSchema !== undefined} />
      <div className="reference-body">
        <section id="overview" aria-labelledby="api-title" className="doc-section">
          <h1 id="api-title">{overview.title}</h1>
          <p className="api-meta">
            <Badge tone="info">v{overview.version}</Badge>
            {deprecated ? <Badge tone="warning">Deprecated</Badge> : null}
            <a href={documentUrl}>OpenAPI document</a>
          </p>
          {actions}
          <MarkdownView blocks={overview.description} />
          {overview.baseUrl ? (
            <>
              <h2 className="h-small" id="base-url">
                Base URL
              </h2>
              <CodeBlock code={overview.baseUrl} label="base URL" />
            </>
          ) : null}
        </section>
        <AuthenticationSection document={document} />
        <section aria-labelledby="rate-limits" className="doc-section">
          <h2 id="rate-limits">Rate limits</h2>
          {overview.rateLimits.length > 0 ? (
            <MarkdownView blocks={overview.rateLimits} />
          ) : (
            <p>This API documents no rate limits of its own.</p>
          )}
        </section>
        {problemSchema ? (
          <section aria-labelledby="errors" className="doc-section">
            <h2 id="errors">Errors</h2>
            <p>
              Errors the platform answers itself are RFC 9457 problem details,{' '}
              <code>application/problem+json</code>:
            </p>
            <SchemaView document={document} schema={problemSchema} caption="Problem details" />
          </section>
        ) : null}
        <section aria-labelledby="endpoints" className="doc-section">
          <h2 id="endpoints">Endpoints</h2>
          {groups.flatMap((group) =>
            group.operations.map((operation) => (
              <OperationSection key={operation.anchor} document={document} operation={operation} />
            )),
          )}
        </section>
      </div>
    </div>
  );
}
