import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { isConsoleScope, PORTAL_SCOPE } from '../kernel/scopes.ts';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

/** A person: approves apps in the authorization-code flow and signs in to the web app. */
export interface User {
  userId: string;
  username: string;
  displayName: string;
  /** The internal id forwarded to upstreams for tokens this user approved. */
  innerId: string;
  /** Platform scopes this person holds in the web app, e.g. a console role (`console:operator`). */
  scopes?: string[];
  /** The developer account this person acts for in the portal. */
  developerId?: string;
}

/** What a session in the platform's own web app carries: the portal, and the user's console role. */
export const webSessionScope = (user: User): string =>
  [PORTAL_SCOPE, ...(user.scopes ?? []).filter(isConsoleScope)].join(' ');

const PARAMS = { N: 16_384, r: 8, p: 1 };

/** scrypt with a random salt, encoded as `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/** A fixed hash to compare against when the user does not exist, so timing does not reveal it. */
export const DUMMY_PASSWORD_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
