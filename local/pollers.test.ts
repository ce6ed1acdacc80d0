import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { FairDispatch } from './pollers.ts';

let next = 0;
const message = (group: string | undefined, receives = 1): Message => {
  const id = `m${++next}`;
  return {
    MessageId: id,
    ReceiptHandle: `h-${id}`,
    Body: id,
    Attributes: {
      ApproximateReceiveCount: String(receives),
      ...(group !== undefined ? { MessageGroupId: group } : {}),
    },
  };
};
const groupsOf = (batch: Message[] | undefined) => [
  ...new Set((batch ?? []).map((m) => m.Attributes?.MessageGroupId ?? '')),
];

describe('fair dispatch of a queue with message groups', () => {
  it('hands a quiet group its messages ahead of a backlogged one', () => {
    const dispatch = new FairDispatch({ containers: 5, batchSize: 10 });
    const flood = Array.from({ length: 20 }, () => message('flood'));
    dispatch.add(flood, 0);
    const first = dispatch.take(0, 60_000);
    expect(first).toHaveLength(10);
    dispatch.add([message('quiet')], 1);
    // The quiet group has nothing in flight: it goes first, in a batch of its own.
    expect(groupsOf(dispatch.take(1, 60_000))).toEqual(['quiet']);
    expect(groupsOf(dispatch.take(1, 60_000))).toEqual(['flood']);
  });

  it('fills a batch with several groups once each has shown its batches are quick, never with a slow one', () => {
    const dispatch = new FairDispatch({ containers: 4, batchSize: 10 });
    dispatch.add([message('a'), message('b'), message('slow')], 0);
    const first = [dispatch.take(0, 60_000)!, dispatch.take(0, 60_000)!, dispatch.take(0, 60_000)!];
    expect(first.map(groupsOf)).toEqual([['a'], ['b'], ['slow']]);
    dispatch.done(first[0]!, 100);
    dispatch.done(first[1]!, 100);
    dispatch.done(first[2]!, 15_000);
    dispatch.add([message('a'), message('slow'), message('b')], 15_000);
    expect(groupsOf(dispatch.take(15_000, 60_000)).sort()).toEqual(['a', 'b']);
    expect(groupsOf(dispatch.take(15_000, 60_000))).toEqual(['slow']);
  });

  it('keeps a group to its share of the containers while others have work', () => {
    const dispatch = new FairDispatch({ containers: 4, batchSize: 1 });
    dispatch.add([message('hang'), message('hang')], 0);
    // Alone, a group may use every container.
    expect(groupsOf(dispatch.take(0, 60_000))).toEqual(['hang']);
    expect(groupsOf(dispatch.take(0, 60_000))).toEqual(['hang']);
    dispatch.add([message('other'), message('other'), message('other')], 0);
    // Two groups with work: two containers each. `hang` holds its two, so the others go to `other`.
    expect(groupsOf(dispatch.take(0, 60_000))).toEqual(['other']);
    expect(groupsOf(dispatch.take(0, 60_000))).toEqual(['other']);
    expect(dispatch.take(0, 60_000)).toBeUndefined();
  });

  it('counts a group that sent a message lately, though it has nothing waiting now', () => {
    const dispatch = new FairDispatch({ containers: 4, batchSize: 1 });
    dispatch.add([message('now-and-then')], 0);
    dispatch.done(dispatch.take(0, 60_000)!);
    dispatch.add([message('hang'), message('hang')], 1_000);
    expect(groupsOf(dispatch.take(1_000, 60_000))).toEqual(['hang']);
    expect(groupsOf(dispatch.take(1_000, 60_000))).toEqual(['hang']);
    dispatch.add([message('hang')], 1_000);
    expect(dispatch.take(1_000, 60_000)).toBeUndefined();
    // Thirty seconds later it no longer counts: the hanging group may use every container.
    expect(groupsOf(dispatch.take(31_000, 60_000))).toEqual(['hang']);
  });

  it('hands out a message that waited too long whatever its group’s share', () => {
    const dispatch = new FairDispatch({ containers: 2, batchSize: 1 });
    dispatch.add([message('a'), message('a'), message('b')], 0);
    dispatch.take(0, 60_000);
    dispatch.take(0, 60_000);
    expect(dispatch.take(1_000, 60_000)).toBeUndefined();
    expect(groupsOf(dispatch.take(60_000, 60_000))).toEqual(['a']);
  });

  it('lets messages without a group through as they come, as a plain queue', () => {
    const dispatch = new FairDispatch({ containers: 2, batchSize: 3 });
    dispatch.add([message(undefined), message(undefined), message(undefined), message(undefined)], 0);
    expect(dispatch.take(0, 60_000)).toHaveLength(3);
    expect(dispatch.take(0, 60_000)).toHaveLength(1);
  });
});
