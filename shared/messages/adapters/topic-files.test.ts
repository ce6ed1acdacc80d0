import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryTopicStore } from '../testing/memory-stores.ts';
import { aTopic } from '../testing/topic-store.contract.ts';
import { createMissingTopics, readTopicFiles } from './topic-files.ts';

const EVENTS_TOPICS = path.resolve(import.meta.dirname, '../../../events/topics');

describe('topic files', () => {
  it('holds valid topics in events/topics, each named after its file', () => {
    const topics = readTopicFiles(EVENTS_TOPICS);
    expect(topics.map((t) => t.name)).toContain('orders.created');
  });

  it('refuses a file that is not a valid topic or is named after another one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'topics-'));
    writeFileSync(path.join(dir, 'a.b.json'), JSON.stringify(aTopic('c.d')));
    expect(() => readTopicFiles(dir)).toThrow(/defines c.d/);
    const bad = mkdtempSync(path.join(tmpdir(), 'topics-'));
    writeFileSync(path.join(bad, 'a.b.json'), JSON.stringify({ ...aTopic('a.b'), example: {} }));
    expect(() => readTopicFiles(bad)).toThrow(/example does not satisfy/);
  });

  it('creates only the topics the store lacks, leaving edited ones alone', async () => {
    const store = new MemoryTopicStore();
    await store.put(aTopic('orders.created', { description: 'Edited in the console.' }));
    const created = await createMissingTopics(store, [aTopic('orders.created'), aTopic('orders.paid')]);
    expect(created).toEqual(['orders.paid']);
    expect((await store.get('orders.created'))?.description).toBe('Edited in the console.');
    expect(await createMissingTopics(store, [aTopic('orders.paid')])).toEqual([]);
  });
});
