import { auditEntry } from '../console/audit.ts';
import { type Developer, newDeveloper } from '../console/developers.ts';
import type { ConsoleStore } from '../console/ports.ts';
import type { User } from '../identity/users.ts';
import { DomainError } from '../kernel/errors.ts';
import { bodyValidator } from '../kernel/validation.ts';

export interface SignUpInput {
  name: string;
  email: string;
  company?: string;
  username: string;
  password: string;
}

/** Lower-case usernames (sign-in folds case), and passwords long enough that guessing is hopeless. */
export const validateSignUp = bodyValidator<SignUpInput>({
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
    email: { type: 'string', format: 'email', maxLength: 254 },
    company: { type: 'string', maxLength: 200 },
    username: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' },
    password: { type: 'string', minLength: 12, maxLength: 256 },
  },
  required: ['name', 'email', 'username', 'password'],
  additionalProperties: false,
});

/** Whether a new developer account works at once or waits for an operator (`SIGN_UP_APPROVAL`). */
export type SignUpApproval = 'automatic' | 'operator';

export interface SignUpDeps {
  store: Pick<ConsoleStore, 'signUp'>;
  hashPassword(password: string): Promise<string>;
  approval: SignUpApproval;
}

/**
 * Self-service sign-up (seed 000: "users register"): a developer account and the person who signs in
 * for it, written together with their audit entry. Pending accounts sign in and see their state, but
 * their apps cannot authenticate until an operator sets the account active.
 */
export async function signUp(
  deps: SignUpDeps,
  body: unknown,
  requestId: string,
  now: Date,
): Promise<{ developer: Developer; user: User }> {
  const input = validateSignUp(body);
  if (input.password.toLowerCase().includes(input.username)) {
    throw new DomainError('validation-failed', 'The password must not contain the username.', {
      errors: [{ pointer: '/password', message: 'must not contain the username' }],
    });
  }
  const developer: Developer = {
    ...newDeveloper(
      { name: input.name, email: input.email, ...(input.company ? { company: input.company } : {}) },
      now,
    ),
    status: deps.approval === 'automatic' ? 'active' : 'pending',
  };
  const user: User = {
    userId: `user_${developer.developerId.slice('dev_'.length)}`,
    username: input.username,
    displayName: input.name.trim(),
    innerId: developer.developerId,
    developerId: developer.developerId,
  };
  const audit = auditEntry(
    { subject: user.userId, clientId: 'portico-web', role: 'developer' },
    'developer.sign-up',
    { type: 'developer', id: developer.developerId },
    { after: { developer, user } },
    now,
    requestId,
  );
  await deps.store.signUp(developer, user, await deps.hashPassword(input.password), audit);
  return { developer, user };
}
