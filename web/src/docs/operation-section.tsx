import { TryItPanel } from '../try-it/try-it-panel.tsx';
import { Badge, MethodBadge } from '../ui/badges.tsx';
import { CodeBlock } from '../ui/code-block.tsx';
import { AccessSummary } from './access-summary.tsx';
import { curlCommand, exampleRequest } from './example-request.ts';
import { ExampleView } from './example-view.tsx';
import { exampleOfMedia } from './examples.ts';
import { parseMarkdown } from './markdown.ts';
import { MarkdownView } from './markdown-view.tsx';
import type { OpenApiDocument } from './openapi.ts';
import { jsonMediaType, type Operation } from './operations.ts';
import { ParametersTable } from './parameters-table.tsx';
import { ResponsesList } from './responses-list.tsx';
import { SchemaView } from './schema-view.tsx';

function RequestBody({ document, operation }: { document: OpenApiDocument; operation: Operation }) {
  const body = operation.requestBody;
  if (!body) return null;
  const mediaType = jsonMediaType(body.content) ?? Object.keys(body.content ?? {})[0];
  const media = mediaType ? body.content?.[mediaType] : undefined;
  const example = exampleOfMedia(document, media);
  return (
    <>
      <h4>
        Request body{' '}
        {body.required ? (
          <span className="required">required</span>
        ) : (
          <span className="optional">optional</span>
        )}
      </h4>
      {mediaType ? (
        <p className="muted">
          <code>{mediaType}</code>
        </p>
      ) : null}
      {body.description ? <MarkdownView blocks={parseMarkdown(body.description)} /> : null}
      {media?.schema ? <SchemaView document={document} schema={media.schema} caption="Request body" /> : null}
      {example ? <ExampleView example={example} label="request body" /> : null}
    </>
  );
}

export function OperationSection({
  document,
  operation,
}: {
  document: OpenApiDocument;
  operation: Operation;
}) {
  const titleId = `${operation.anchor}-title`;
  const endpointId = `${operation.anchor}-endpoint`;
  return (
    <section id={operation.anchor} aria-labelledby={`${titleId} ${endpointId}`} className="operation">
      <h3 id={titleId}>
        {operation.summary}
        {operation.deprecated ? (
          <>
            {' '}
            <Badge tone="warning">Deprecated</Badge>
          </>
        ) : null}
      </h3>
      <p className="endpoint" id={endpointId}>
        <MethodBadge method={operation.method} />
        <code>{operation.path}</code>
      </p>
      {operation.description ? <MarkdownView blocks={parseMarkdown(operation.description)} /> : null}
      <AccessSummary document={document} security={operation.security} />
      {operation.parameters.length > 0 ? (
        <>
          <h4>Parameters</h4>
          <ParametersTable document={document} parameters={operation.parameters} />
        </>
      ) : null}
      <RequestBody document={document} operation={operation} />
      <h4>Responses</h4>
      <ResponsesList document={document} responses={operation.responses} />
      <h4>Example request</h4>
      <CodeBlock code={curlCommand(exampleRequest(document, operation))} label="curl command" />
      <TryItPanel document={document} operation={operation} />
    </section>
  );
}
