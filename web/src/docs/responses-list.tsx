import { StatusCode } from '../ui/badges.tsx';
import { ExampleView } from './example-view.tsx';
import { exampleOfMedia } from './examples.ts';
import type { HeaderObject, OpenApiDocument, ResponseObject } from './openapi.ts';
import { jsonMediaType } from './operations.ts';
import { deref } from './refs.ts';
import { SchemaView } from './schema-view.tsx';

const PROBLEM_TYPE = 'application/problem+json';

function ResponseBody({
  document,
  status,
  response,
}: {
  document: OpenApiDocument;
  status: string;
  response: ResponseObject;
}) {
  const mediaType = jsonMediaType(response.content);
  if (!mediaType) return null;
  if (mediaType === PROBLEM_TYPE) {
    return (
      <p className="muted">
        Body: <a href="#errors">problem details</a> (<code>{PROBLEM_TYPE}</code>).
      </p>
    );
  }
  const media = response.content?.[mediaType];
  const example = exampleOfMedia(document, media);
  return (
    <>
      {media?.schema ? (
        <SchemaView document={document} schema={media.schema} caption={`Response ${status}`} />
      ) : null}
      {example ? <ExampleView example={example} label={`response ${status}`} /> : null}
    </>
  );
}

function ResponseHeaders({ document, response }: { document: OpenApiDocument; response: ResponseObject }) {
  const headers = Object.entries(response.headers ?? {});
  if (headers.length === 0) return null;
  return (
    <ul className="response-headers">
      {headers.map(([name, candidate]) => {
        const header = deref<HeaderObject>(document, candidate);
        return (
          <li key={name}>
            Header <code>{name}</code>
            {header?.description ? `: ${header.description}` : null}
          </li>
        );
      })}
    </ul>
  );
}

export function ResponsesList({
  document,
  responses,
}: {
  document: OpenApiDocument;
  responses: [string, ResponseObject][];
}) {
  return (
    <ul className="responses">
      {responses.map(([status, response]) => {
        const hasBody =
          jsonMediaType(response.content) !== undefined && jsonMediaType(response.content) !== PROBLEM_TYPE;
        const head = (
          <>
            <StatusCode status={status} /> <span>{response.description}</span>
          </>
        );
        return (
          <li key={status} className="response">
            {hasBody ? (
              <details open={status.startsWith('2')}>
                <summary>{head}</summary>
                <ResponseHeaders document={document} response={response} />
                <ResponseBody document={document} status={status} response={response} />
              </details>
            ) : (
              <div>
                <p className="response-head">{head}</p>
                <ResponseHeaders document={document} response={response} />
                <ResponseBody document={document} status={status} response={response} />
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
