import { CodeBlock } from '../ui/code-block.tsx';
import type { Example } from './examples.ts';

/** A body example, saying whether the API's authors wrote it or it was built from the schema. */
export function ExampleView({ example, label }: { example: Example; label: string }) {
  const note = example.generated ? ' (built from the schema)' : example.name ? ` (${example.name})` : '';
  return (
    <div className="example">
      <p className="example-label">Example{note}</p>
      <CodeBlock code={JSON.stringify(example.value, null, 2)} label={`${label} example`} />
    </div>
  );
}
