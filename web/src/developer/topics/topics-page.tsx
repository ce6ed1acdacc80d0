import { Link } from 'wouter';
import { Loading } from '../../ui/loading.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { listTopics } from '../api/messages.ts';
import { type AppSummary, listApps } from '../api/my-apps.ts';
import { useData } from '../ui/use-data.ts';
import { TopicCard } from './topic-card.tsx';

/** The catalog is the same whichever app reads it; an active one's token is needed to read it at all. */
const readerOf = (apps: AppSummary[]) => apps.find((app) => app.status === 'active');

function TopicsOf({ reader, apps }: { reader: AppSummary; apps: AppSummary[] }) {
  const topics = useData(`topics:${reader.appId}`, () => listTopics(reader.appId));
  if (topics.resource.status === 'error')
    return <ProblemMessage error={topics.resource.error} context="The topics could not be loaded." />;
  if (topics.resource.status !== 'ready') return <Loading label="Loading the topics…" />;
  if (topics.resource.data.length === 0) return <p>No topic is published yet.</p>;
  return (
    <ul className="dev-topic-list">
      {topics.resource.data.map((topic) => (
        <TopicCard key={topic.name} topic={topic} apps={apps} />
      ))}
    </ul>
  );
}

/** Every topic apps may subscribe to: what it is, the scope it needs and the payload its messages carry. */
export function TopicsPage() {
  const apps = useData('apps', listApps);
  const reader = apps.resource.status === 'ready' ? readerOf(apps.resource.data) : undefined;
  return (
    <>
      <title>Topics · Portico developers</title>
      <h1>Topics</h1>
      <p className="lead">
        The events Portico can send your apps. Subscribe an app to a topic on its page; the topic’s scope must
        be granted to the app first.
      </p>
      {apps.resource.status === 'error' ? (
        <ProblemMessage error={apps.resource.error} context="Your apps could not be loaded." />
      ) : apps.resource.status !== 'ready' ? (
        <Loading label="Loading…" />
      ) : reader ? (
        <TopicsOf reader={reader} apps={apps.resource.data} />
      ) : (
        <p>
          The topics are read with one of your apps’ credentials, and you have no active app.{' '}
          <Link href="/">Create an app</Link> first.
        </p>
      )}
    </>
  );
}
