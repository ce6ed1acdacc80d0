import type { OpenApiDocument, SchemaObject } from './openapi.ts';
import { type SchemaRow, schemaTree } from './schema-rows.ts';

/** Deeper fields than this are indented no further. */
const MAX_INDENT = 5;

interface FlatRow {
  key: string;
  depth: number;
  row: SchemaRow;
}

function flatten(rows: SchemaRow[], depth = 0, prefix = ''): FlatRow[] {
  return rows.flatMap((row) => {
    const key = `${prefix}/${row.name}`;
    return [{ key, depth, row }, ...flatten(row.children, depth + 1, key)];
  });
}

export function Constraints({ constraints }: { constraints: string[] }) {
  if (constraints.length === 0) return null;
  return (
    <ul className="constraints">
      {constraints.map((constraint) => (
        <li key={constraint}>{constraint}</li>
      ))}
    </ul>
  );
}

interface Props {
  document: OpenApiDocument;
  schema: SchemaObject;
  /** What the schema describes, for the table's caption: "Request body". */
  caption: string;
}

/** A schema: its type, and a table of its fields, nested fields indented under their parent. */
export function SchemaView({ document, schema, caption }: Props) {
  const tree = schemaTree(document, schema);
  const rows = flatten(tree.rows);
  return (
    <div className="schema">
      <p className="schema-type">
        <span className="type">{tree.type}</span>
        {tree.description ? <span> — {tree.description}</span> : null}
      </p>
      <Constraints constraints={tree.constraints} />
      {rows.length > 0 ? (
        <table className="fields">
          <caption className="visually-hidden">{caption} fields</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Type</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ key, depth, row }) => (
              <tr key={key}>
                <th scope="row" className={`field-name depth-${Math.min(depth, MAX_INDENT)}`}>
                  {depth > 0 ? (
                    <span className="nesting" aria-hidden="true">
                      ↳{' '}
                    </span>
                  ) : null}
                  <code>{row.name}</code>
                  {row.required ? <span className="required">required</span> : null}
                  {row.deprecated ? <span className="deprecated-tag">deprecated</span> : null}
                </th>
                <td>
                  <span className="type">{row.type}</span>
                </td>
                <td>
                  {row.description ? <p>{row.description}</p> : null}
                  <Constraints constraints={row.constraints} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
