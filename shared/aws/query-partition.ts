import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

export interface PartitionQuery {
  table: string;
  pk: string;
  /** Only items whose sort key begins with this. */
  skPrefix?: string;
  /** Only items whose sort key is in [from, to]. */
  skBetween?: { from: string; to: string };
  consistent?: boolean;
}

/** Every item of one partition (or the part of it the sort key selects), all pages, in sort-key order. */
export async function queryPartition(
  db: DynamoDBDocumentClient,
  { table, pk, skPrefix, skBetween, consistent = false }: PartitionQuery,
): Promise<Record<string, unknown>[]> {
  const condition = skPrefix
    ? { expression: 'pk = :p AND begins_with(sk, :prefix)', values: { ':prefix': skPrefix } }
    : skBetween
      ? {
          expression: 'pk = :p AND sk BETWEEN :from AND :to',
          values: { ':from': skBetween.from, ':to': skBetween.to },
        }
      : { expression: 'pk = :p', values: {} };
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: condition.expression,
        ExpressionAttributeValues: { ':p': pk, ...condition.values },
        ...(consistent ? { ConsistentRead: true } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
