import type { TopicStore } from './ports.ts';
import type { StoredTopic } from './topic.ts';

export interface TopicCacheOptions {
  /** How long a topic read is reused: a console change reaches every worker within this. */
  ttlMs?: number;
  /** How long "no such topic" is reused: short, so a topic just created is seen almost at once. */
  missTtlMs?: number;
  clock?: () => number;
}

/** Topic reads memoised per instance: ingest reads the topic of every event, and topics rarely change. */
export function cachedTopics(
  store: Pick<TopicStore, 'get'>,
  { ttlMs = 30_000, missTtlMs = 2_000, clock = Date.now }: TopicCacheOptions = {},
): Pick<TopicStore, 'get'> {
  const entries = new Map<string, { topic: StoredTopic | undefined; until: number }>();
  return {
    async get(name) {
      const now = clock();
      const hit = entries.get(name);
      if (hit && hit.until > now) return hit.topic;
      const topic = await store.get(name);
      if (entries.size > 1_000) entries.clear();
      entries.set(name, { topic, until: now + (topic ? ttlMs : missTtlMs) });
      return topic;
    },
  };
}
