import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../../api/client.ts';
import type { CatalogEntry } from '../../api/portal.ts';
import { appTokens } from '../api/app-session.ts';
import { createWebhookSubscription, type SubscriptionWithSecret, type Topic } from '../api/messages.ts';
import { fieldMessage, formErrorsOf } from '../ui/field-errors.ts';
import { focusFirstInvalid } from '../ui/focus.ts';
import { FormField } from '../ui/form-field.tsx';
import { FormProblem } from '../ui/form-problem.tsx';
import { useAction } from '../ui/use-action.ts';
import { apisGranting, maySubscribe } from './topic-access.ts';
import { webhookUrlProblem } from './webhook-url.ts';

const FIELDS = ['topic', 'url', 'description'] as const;
type Field = (typeof FIELDS)[number];

interface Props {
  appId: string;
  appScopes: string[];
  topics: Topic[];
  catalog: CatalogEntry[];
  onCreated: (subscription: SubscriptionWithSecret) => void;
  onCancel: () => void;
}

/**
 * Subscribes with the app's token; a refusal for want of a scope is tried once more with a new token,
 * since the one in memory may predate an approved access request.
 */
async function subscribe(appId: string, topic: string, url: string, description: string) {
  const body = { topic, url, ...(description ? { description } : {}) };
  try {
    return await createWebhookSubscription(appId, body);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
    appTokens.forget(appId);
    return createWebhookSubscription(appId, body);
  }
}

/** Where an app gets the scope a topic needs: an access request to an API that grants it. */
function ScopeHint({ topic, catalog }: { topic: Topic; catalog: CatalogEntry[] }) {
  const apis = apisGranting(topic.scope, catalog);
  return (
    <>
      Your app needs the scope <code>{topic.scope}</code> to subscribe to {topic.name}.{' '}
      {apis.length > 0 ? (
        <>
          Request access to{' '}
          {apis.map((api, index) => (
            <span key={api}>
              {index > 0 ? ' or ' : ''}
              <Link href={`~/apps?apply=${encodeURIComponent(api)}`}>{api}</Link>
            </span>
          ))}{' '}
          to get it.
        </>
      ) : (
        <>
          Request access, under <a href="#access-title">API access</a>, to the API that grants it.
        </>
      )}
    </>
  );
}

/** A new webhook subscription: a topic and the HTTPS endpoint its messages are sent to. */
export function SubscriptionForm({ appId, appScopes, topics, catalog, onCreated, onCancel }: Props) {
  const form = useRef<HTMLFormElement>(null);
  const topicSelect = useRef<HTMLSelectElement>(null);
  const [topicName, setTopicName] = useState('');
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [checked, setChecked] = useState<Partial<Record<Field, string>>>({});
  const create = useAction(subscribe);
  const server = formErrorsOf(create.error, FIELDS);
  const errors: Partial<Record<Field, string>> = {
    ...checked,
    ...(server.fields.topic ? { topic: fieldMessage('The topic', server.fields.topic) } : {}),
    ...(server.fields.url ? { url: fieldMessage('The URL', server.fields.url) } : {}),
    ...(server.fields.description
      ? { description: fieldMessage('The description', server.fields.description) }
      : {}),
  };
  const topic = topics.find((entry) => entry.name === topicName);
  const lacksScope = topic !== undefined && !maySubscribe(topic, appScopes);
  const refused = create.error instanceof ApiError && create.error.status === 403;
  useEffect(() => {
    topicSelect.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!topicName) found.topic = 'Choose a topic.';
    const urlProblem = webhookUrlProblem(url);
    if (urlProblem) found.url = urlProblem;
    if (description.length > 500) found.description = 'The description may have at most 500 characters.';
    setChecked(found);
    create.reset();
    if (Object.keys(found).length > 0) return focusFirstInvalid(form.current);
    const subscription = await create.run(appId, topicName, url.trim(), description.trim());
    if (subscription) onCreated(subscription);
    else focusFirstInvalid(form.current);
  };

  return (
    <form
      ref={form}
      className="dev-form"
      onSubmit={submit}
      noValidate
      aria-label="Add a webhook subscription"
    >
      <FormField
        label="Topic"
        required
        error={errors.topic}
        hint={
          lacksScope && topic ? (
            <ScopeHint topic={topic} catalog={catalog} />
          ) : (
            <>
              The kind of event to receive. <Link href="/topics">See every topic’s payload</Link>.
            </>
          )
        }
      >
        {(control) => (
          <select
            {...control}
            ref={topicSelect}
            value={topicName}
            onChange={(event) => setTopicName(event.target.value)}
          >
            <option value="">Choose a topic…</option>
            {topics.map((entry) => (
              <option key={entry.name} value={entry.name}>
                {entry.name}
                {maySubscribe(entry, appScopes) ? '' : ` (needs ${entry.scope})`}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField
        label="Endpoint URL"
        required
        error={errors.url}
        hint="An https:// URL that answers 2xx to each delivery. Deliveries are signed with the subscription’s secret."
      >
        {(control) => (
          <input
            {...control}
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://example.com/webhooks/portico"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
          />
        )}
      </FormField>
      <FormField label="Description" error={errors.description} hint="For you: what this endpoint is.">
        {(control) => (
          <input
            {...control}
            type="text"
            maxLength={600}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        )}
      </FormField>
      <FormProblem
        error={create.error}
        context="The subscription could not be created."
        others={server.others}
      />
      {refused && topic ? (
        <p className="note">
          <ScopeHint topic={topic} catalog={catalog} />
        </p>
      ) : null}
      <div className="dev-actions">
        <button type="submit" className="button button-primary" disabled={create.busy}>
          {create.busy ? 'Subscribing…' : 'Subscribe'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
