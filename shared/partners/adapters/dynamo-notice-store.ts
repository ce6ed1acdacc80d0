import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { queryPartition } from '../../aws/query-partition.ts';
import type { Notice, NoticeSource } from '../notice.ts';
import type { NoticeStore, RecordSigner } from '../ports.ts';
import { NOTICE_PREFIX, noticeKey, partnerPartition } from './partners-keys.ts';

/**
 * Notices in their partner's partition, kept apart by source in the sort key, each item signed over
 * its notice. A record whose signature fails (written around Portico) is left out and reported.
 */
export class DynamoNoticeStore implements NoticeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly signer: RecordSigner,
    private readonly onForgery: (key: { pk: string; sk: string }) => void,
  ) {}

  async get(partnerId: string, source: NoticeSource, noticeId: string): Promise<Notice | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: noticeKey(partnerId, source, noticeId),
        ConsistentRead: true,
      }),
    );
    return Item ? this.verified(Item) : undefined;
  }

  async list(partnerId: string): Promise<Notice[]> {
    const items = await queryPartition(this.db, {
      table: this.table,
      pk: partnerPartition(partnerId),
      skPrefix: NOTICE_PREFIX,
      consistent: true,
    });
    const notices: Notice[] = [];
    for (const item of items) {
      const notice = await this.verified(item);
      if (notice) notices.push(notice);
    }
    return notices;
  }

  async save(notice: Notice, expectedChangeCount: number | undefined): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...noticeKey(notice.partnerId, notice.source, notice.noticeId),
            kind: 'notice',
            notice,
            changeCount: notice.changeCount,
            signature: await this.signer.sign({ ...notice }),
          },
          ...(expectedChangeCount === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'changeCount = :seen',
                ExpressionAttributeValues: { ':seen': expectedChangeCount },
              }),
        }),
      ),
    );
  }

  /** Checks the signature; the item must also sit under the key its notice names. */
  private async verified(item: Record<string, unknown>): Promise<Notice | undefined> {
    const notice = item.notice as Notice | undefined;
    const key = { pk: String(item.pk), sk: String(item.sk) };
    const where = notice && noticeKey(notice.partnerId, notice.source, notice.noticeId);
    const genuine =
      notice !== undefined &&
      where!.pk === key.pk &&
      where!.sk === key.sk &&
      typeof item.signature === 'string' &&
      (await this.signer.verify({ ...notice }, item.signature));
    if (!genuine) {
      this.onForgery(key);
      return undefined;
    }
    return notice;
  }
}
