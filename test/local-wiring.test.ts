import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListEventBusesCommand, ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalPlan } from '../local/plan.ts';
import { readableId } from '../local/provision.ts';
import { isApiPath } from '../shared/portal/web-paths.ts';
import { call } from './support/http.ts';
import { fireSchedule, localPlan } from './support/local-plan.ts';
import { aws } from './support/platform.ts';
import { eventually } from './support/wait.ts';

/**
 * The running platform against the synthesized template: every stateful resource exists in the
 * emulator and every route is answered by its function. Together with the plan test in local/, this
 * is the drift check between the CDK app and the local runtime.
 */
describe('the local runtime serves what the template declares', () => {
  let plan: LocalPlan;
  beforeAll(() => {
    plan = localPlan();
  });

  const namesOf = (type: string) => plan.set.ofType(type).map((r) => `portico-${readableId(r.logicalId)}`);

  it('has created every table, queue, stream, bus and event rule', async () => {
    const { dynamo, sqs, kinesis, events } = aws();
    const tables = (await dynamo.send(new ListTablesCommand({}))).TableNames ?? [];
    const queues = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
    const streams = (await kinesis.send(new ListStreamsCommand({}))).StreamNames ?? [];
    const buses = ((await events.send(new ListEventBusesCommand({}))).EventBuses ?? []).map((b) => b.Name);
    const rules = ((await events.send(new ListRulesCommand({ EventBusName: 'portico' }))).Rules ?? []).map(
      (r) => r.Name,
    );

    for (const name of namesOf('AWS::DynamoDB::Table')) expect(tables).toContain(name);
    for (const name of namesOf('AWS::SQS::Queue'))
      expect(queues.some((url) => url.endsWith(`/${name}`))).toBe(true);
    for (const name of namesOf('AWS::Kinesis::Stream')) expect(streams).toContain(name);
    for (const bus of plan.set.ofType('AWS::Events::EventBus'))
      expect(buses).toContain(bus.resource.Properties?.Name);
    for (const name of namesOf('AWS::Events::Rule')) expect(rules).toContain(name);
  });

  it('answers every route from its own function (problem+json with a request id, never the router 404)', async () => {
    expect(plan.routes.length).toBeGreaterThan(10);
    for (const { routeKey } of plan.routes) {
      const [method, template] = routeKey === '$default' ? ['GET', '/unrouted'] : routeKey.split(' ');
      const path = template!.replace(/\{[^}]+\+\}/g, 'a/b').replace(/\{[^}]+\}/g, 'x');
      // A GET of a path outside the API is the web app's page: the catch-all is reached by other methods.
      const response = await call(path, {
        method: method === 'ANY' ? (isApiPath(path) ? 'GET' : 'POST') : method,
      });
      expect(response.headers.get('x-request-id'), routeKey).toBeTruthy();
    }
  });

  it('delivers bus events through the rule, the queue and the SQS poller, storing each event once', async () => {
    const detail = { orderId: 'o-1', total: 42, currency: 'EUR' };
    const entry = {
      EventBusName: 'portico',
      Source: 'biz.orders',
      DetailType: 'orders.created',
      Detail: JSON.stringify(detail),
    };
    const { Entries = [] } = await aws().events.send(new PutEventsCommand({ Entries: [entry] }));
    const eventId = Entries[0]!.EventId!;
    const stored = await eventually(async () => {
      const { Item } = await aws().document.send(
        new GetCommand({ TableName: 'portico-MessagesTable', Key: { pk: `MSG#${eventId}`, sk: 'MSG' } }),
      );
      return Item;
    });
    expect(stored).toMatchObject({
      topic: 'orders.created',
      source: 'biz.orders',
      status: 'Accepted',
      payload: detail,
    });
  });

  it('fires schedules on demand through the local control path', async () => {
    const [schedule] = plan.schedules;
    const response = await fireSchedule(schedule!.id.logicalId);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: unknown }).result).toMatchObject({
      'access-tokens': { outcome: 'unchanged' },
      'identity-tokens': { outcome: 'unchanged' },
    });
  });
});
