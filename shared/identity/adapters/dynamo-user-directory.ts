import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { UserDirectory, UserProfiles } from '../ports.ts';
import { DUMMY_PASSWORD_HASH, hashPassword, type User, verifyPassword } from '../users.ts';
import { userKey as key, userProfileKey } from './identity-keys.ts';

const userOf = (item: Record<string, unknown>): User => ({
  userId: item.userId as string,
  username: item.username as string,
  displayName: item.displayName as string,
  innerId: item.innerId as string,
  ...(Array.isArray(item.scopes) ? { scopes: item.scopes as string[] } : {}),
  ...(typeof item.developerId === 'string' ? { developerId: item.developerId } : {}),
});

/** A person's two items: sign-in by username (with the password hash) and profile by user id. */
export const userItems = (user: User, passwordHash: string) => [
  { ...key(user.username), kind: 'user', ...user, passwordHash },
  { ...userProfileKey(user.userId), kind: 'user-profile', ...user },
];

/** People in the identity table: scrypt password hashes by username, profiles by user id. */
export class DynamoUserDirectory implements UserDirectory, UserProfiles {
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
    return Item && ok ? userOf(Item) : undefined;
  }

  async get(userId: string): Promise<User | undefined> {
    if (userId.length > 128) return undefined;
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: userProfileKey(userId) }),
    );
    return Item ? userOf(Item) : undefined;
  }

  async save(user: User, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { ...key(user.username), kind: 'user', ...user, passwordHash },
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: { ...userProfileKey(user.userId), kind: 'user-profile', ...user },
            },
          },
        ],
      }),
    );
  }
}
