import type { OpenApiDocument, ParameterObject } from './openapi.ts';
import { resolveSchema } from './schema-resolve.ts';
import { constraintsOf, typeLabel } from './schema-rows.ts';
import { Constraints } from './schema-view.tsx';

export function ParametersTable({
  document,
  parameters,
}: {
  document: OpenApiDocument;
  parameters: ParameterObject[];
}) {
  return (
    <table className="fields">
      <caption className="visually-hidden">Parameters</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">In</th>
          <th scope="col">Type</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {parameters.map((parameter) => {
          const schema = parameter.schema ? resolveSchema(document, parameter.schema, []).schema : undefined;
          return (
            <tr key={`${parameter.in}:${parameter.name}`}>
              <th scope="row" className="field-name">
                <code>{parameter.name}</code>
                {parameter.required ? <span className="required">required</span> : null}
                {parameter.deprecated ? <span className="deprecated-tag">deprecated</span> : null}
              </th>
              <td>{parameter.in}</td>
              <td>
                <span className="type">
                  {parameter.schema ? typeLabel(document, parameter.schema) : 'string'}
                </span>
              </td>
              <td>
                {(parameter.description ?? schema?.description) ? (
                  <p>{parameter.description ?? schema?.description}</p>
                ) : null}
                <Constraints constraints={schema ? constraintsOf(schema) : []} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
