import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TopicStore } from '../ports.ts';
import { type Topic, validateTopic } from '../topic.ts';

/** The platform's topics as kept in the repository (`events/topics/<name>.json`), each validated. */
export function readTopicFiles(dir: string): Topic[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const topic = validateTopic(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
      if (`${topic.name}.json` !== file)
        throw new Error(`${file} defines ${topic.name}: name the file after it`);
      return topic;
    });
}

/**
 * Creates the topics the store lacks. One already stored is left as it is: from then on the console
 * owns it, and a file change reaches it through the console (or a deliberate PUT).
 */
export async function createMissingTopics(store: TopicStore, topics: readonly Topic[]): Promise<string[]> {
  const created: string[] = [];
  for (const topic of topics) {
    if (await store.get(topic.name)) continue;
    try {
      await store.put(topic, 0);
      created.push(topic.name);
    } catch {
      // Created concurrently by another run: present either way.
    }
  }
  return created;
}
