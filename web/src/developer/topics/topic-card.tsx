import { SchemaView } from '../../docs/schema-view.tsx';
import { CodeBlock } from '../../ui/code-block.tsx';
import type { Topic } from '../api/messages.ts';
import type { AppSummary } from '../api/my-apps.ts';
import { maySubscribe } from '../app/topic-access.ts';
import { payloadSchemaOf, topicDocument } from './topic-document.ts';

/** One topic: what it is, who may subscribe, how long it is kept, and its payload's schema and example. */
export function TopicCard({ topic, apps }: { topic: Topic; apps: AppSummary[] }) {
  const titleId = `topic-${topic.name}`;
  const allowed = apps.filter((app) => maySubscribe(topic, app.scopes));
  return (
    <li>
      <article className="card dev-topic" aria-labelledby={titleId}>
        <h2 id={titleId} className="dev-topic-name">
          {topic.name}
        </h2>
        <p>{topic.description}</p>
        <dl className="dev-facts">
          <div>
            <dt>Scope needed</dt>
            <dd>
              <code className="scope">{topic.scope}</code>
            </dd>
          </div>
          <div>
            <dt>Kept for</dt>
            <dd>{topic.retentionDays} days</dd>
          </div>
          <div>
            <dt>Your apps that may subscribe</dt>
            <dd>{allowed.length > 0 ? allowed.map((app) => app.name).join(', ') : 'none yet'}</dd>
          </div>
        </dl>
        <h3 className="dev-h-small">Payload</h3>
        <SchemaView
          document={topicDocument(topic.name, topic.payloadSchema)}
          schema={payloadSchemaOf(topic.payloadSchema)}
          caption={`${topic.name} payload`}
        />
        <h3 className="dev-h-small">Example</h3>
        <CodeBlock code={JSON.stringify(topic.example, null, 2)} label={`${topic.name} example payload`} />
      </article>
    </li>
  );
}
