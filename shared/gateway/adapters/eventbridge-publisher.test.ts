import type { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import type { GatewayEventEntry } from '../circuit-breaker/events.ts';
import { EventBridgePublisher } from './eventbridge-publisher.ts';

const entry = (n: number): GatewayEventEntry => ({
  EventBusName: 'portico',
  Source: 'portico.gateway',
  DetailType: 'Circuit Breaker State Changed',
  Time: new Date(0),
  Detail: `{"n":${n}}`,
});

function client(answer: unknown) {
  const sent: PutEventsCommand[] = [];
  const fake = {
    send: async (command: PutEventsCommand) => {
      sent.push(command);
      return answer;
    },
  };
  return { sent, client: fake as unknown as EventBridgeClient };
}

describe('EventBridgePublisher', () => {
  it('sends the entries to the configured bus and reports failed ones by index', async () => {
    const { sent, client: eventBridge } = client({
      FailedEntryCount: 1,
      Entries: [
        { EventId: '1' },
        { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
        { EventId: '3' },
      ],
    });
    const sink = new EventBridgePublisher(eventBridge, 'portico-test');
    const entries = [entry(1), entry(2), entry(3)];
    expect(await sink.put(entries)).toEqual({ failed: [1] });
    expect(sent[0]!.input.Entries).toEqual(entries.map((e) => ({ ...e, EventBusName: 'portico-test' })));
    expect(entries[0]!.EventBusName).toBe('portico'); // the caller's entries are not changed
  });

  it('keeps the bus each entry names when none is configured', async () => {
    const { sent, client: eventBridge } = client({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    expect(await new EventBridgePublisher(eventBridge).put([entry(1)])).toEqual({ failed: [] });
    expect(sent[0]!.input.Entries![0]!.EventBusName).toBe('portico');
  });

  it('counts entries missing from an answer that reports failures as failed', async () => {
    const { client: eventBridge } = client({ FailedEntryCount: 2 });
    expect(await new EventBridgePublisher(eventBridge).put([entry(1), entry(2)])).toEqual({ failed: [0, 1] });
  });
});
