import { DomainError } from '../kernel/errors.ts';
import { parseIfMatch, RevisionConflictError } from '../kernel/revision.ts';
import { isTopicName } from '../messages/ids.ts';
import type { SubscriptionStore, TopicStore } from '../messages/ports.ts';
import { type StoredTopic, validateTopic } from '../messages/topic.ts';
import { auditEntry } from './audit.ts';
import type { ActionContext } from './console-actions.ts';
import type { ConsoleStore } from './ports.ts';

/**
 * The console's topic catalog: definitions validated on write (the schema compiles, the example passes
 * it), revisions against lost updates, audited; a topic with subscriptions cannot be deleted.
 */
export class TopicActions {
  constructor(
    private readonly deps: {
      topics: TopicStore;
      subscriptions: Pick<SubscriptionStore, 'listByTopic'>;
      store: Pick<ConsoleStore, 'appendAudit'>;
    },
  ) {}

  list(): Promise<StoredTopic[]> {
    return this.deps.topics.list();
  }

  async get(name: string): Promise<StoredTopic> {
    const topic = isTopicName(name) ? await this.deps.topics.get(name) : undefined;
    if (!topic) throw new DomainError('not-found', `No topic is named "${name.slice(0, 64)}".`);
    return topic;
  }

  /** PUT semantics: the body is the whole topic; `If-Match: "<revision>"` makes the write conditional. */
  async put(ctx: ActionContext, name: string, body: Record<string, unknown>, ifMatch: string | undefined) {
    if (body.name !== undefined && body.name !== name) {
      throw new DomainError('validation-failed', 'name in the body differs from the path.', {
        errors: [{ pointer: '/name', message: 'must equal the name in the path' }],
      });
    }
    const topic = validateTopic({ ...body, name });
    const expected = parseIfMatch(ifMatch);
    const before = await this.deps.topics.get(name);
    let stored: StoredTopic;
    try {
      stored = await this.deps.topics.put(topic, expected ?? before?.revision ?? 0);
    } catch (error) {
      if (error instanceof RevisionConflictError) {
        throw new DomainError(
          'conflict',
          `The topic changed since revision ${expected ?? 'read'}: ${error.message}.`,
        );
      }
      throw error;
    }
    await this.audit(ctx, before ? 'topic.update' : 'topic.create', name, { before, after: stored });
    return { created: !before, topic: stored };
  }

  async delete(ctx: ActionContext, name: string): Promise<void> {
    const before = await this.get(name);
    const subscriptions = await this.deps.subscriptions.listByTopic(name);
    if (subscriptions.length > 0) {
      throw new DomainError(
        'conflict',
        `${name} has ${subscriptions.length} subscription(s); they must be deleted before the topic.`,
      );
    }
    await this.deps.topics.delete(name);
    await this.audit(ctx, 'topic.delete', name, { before });
  }

  private audit(
    ctx: ActionContext,
    action: string,
    name: string,
    change: { before?: unknown; after?: unknown },
  ) {
    return this.deps.store.appendAudit(
      auditEntry(ctx.actor, action, { type: 'topic', id: name }, change, ctx.now, ctx.requestId),
    );
  }
}
