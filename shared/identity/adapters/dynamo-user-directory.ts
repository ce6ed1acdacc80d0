import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { UserDirectory } from '../ports.ts';
import { DUMMY_PASSWORD_HASH, hashPassword, type User, verifyPassword } from '../users.ts';
import { userKey as key } from './identity-keys.ts';

/** Demo users in the identity table, with scrypt password hashes. */
export class DynamoUserDirectory implements UserDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async authenticate(username: string, password: string): Promise<User | undefined> {
    if (username.length > 128 || password.length > 1024) return undefined;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: key(username) }));
    const ok = await verifyPassword(
      password,
      (Item?.passwordHash as string | undefined) ?? DUMMY_PASSWORD_HASH,
    );
    if (!Item || !ok) return undefined;
    return {
      userId: Item.userId,
      username: Item.username,
      displayName: Item.displayName,
      innerId: Item.innerId,
    } as User;
  }

  async save(user: User, password: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key(user.username), kind: 'user', ...user, passwordHash: await hashPassword(password) },
      }),
    );
  }
}
