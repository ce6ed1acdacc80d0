import { type AuditEntry, auditEntry } from '../console/audit.ts';
import { newId } from '../crypto/random.ts';
import type { ApiDefinition } from '../gateway/api-definition.ts';
import type { App } from '../identity/model.ts';
import { DomainError } from '../kernel/errors.ts';
import { rateLimitPolicySchema } from '../kernel/rate-limit-policy.ts';
import { isPlatformScope } from '../kernel/scopes.ts';
import { bodyValidator } from '../kernel/validation.ts';
import { isListed } from './catalog.ts';

/** The rate-limit plan an app holds (`App.rateLimits`), or asks for. */
export type RateLimitPlan = NonNullable<App['rateLimits']>;

/**
 * A developer's request that one of their apps may call an API: its scopes, a rate-limit plan for the
 * app, or both, granted by an operator.
 */
export interface AccessRequest {
  requestId: string;
  appId: string;
  appName: string;
  developerId: string;
  apiName: string;
  scopes: string[];
  /** The plan asked for: what approval sets on the app (the dimensions named; the others stay). */
  rateLimits?: RateLimitPlan;
  note?: string;
  status: 'pending' | 'approved' | 'rejected';
  createdAt: string;
  requestedBy: string;
  decidedAt?: string;
  decidedBy?: string;
  /** Why it was rejected, for the developer. */
  reason?: string;
}

export interface NewAccessRequest {
  apiName: string;
  scopes?: string[];
  rateLimits?: RateLimitPlan;
  note?: string;
}

export const validateNewAccessRequest = bodyValidator<NewAccessRequest>({
  type: 'object',
  properties: {
    apiName: { type: 'string', minLength: 1, maxLength: 63 },
    scopes: {
      type: 'array',
      items: { type: 'string', maxLength: 128 },
      maxItems: 50,
      uniqueItems: true,
    },
    rateLimits: {
      type: 'object',
      properties: { app: rateLimitPolicySchema, appApi: rateLimitPolicySchema },
      minProperties: 1,
      additionalProperties: false,
    },
    note: { type: 'string', maxLength: 1000 },
  },
  required: ['apiName'],
  additionalProperties: false,
});

export const validateDecision = bodyValidator<{ reason?: string }>({
  type: 'object',
  properties: { reason: { type: 'string', minLength: 1, maxLength: 1000 } },
  additionalProperties: false,
});

/** Every scope an API's calls can require: the API's own and its routes'. */
export const scopesOfApi = (api: ApiDefinition): string[] => [
  ...new Set([...api.requiredScopes, ...(api.routes ?? []).flatMap((r) => r.requiredScopes ?? [])]),
];

/**
 * A new pending request: the API must be one third parties see, the scopes its own (all of them the
 * app lacks when none are named; `[]` for none, with a plan), never a platform scope, and not already
 * held by the app. It must ask for something: a scope or a plan.
 */
export function newAccessRequest(
  app: App,
  api: ApiDefinition | undefined,
  input: NewAccessRequest,
  requestedBy: string,
  now: Date,
): AccessRequest {
  if (!api || !isListed(api))
    throw new DomainError('not-found', `No API named ${input.apiName} is published.`);
  const offered = scopesOfApi(api).filter((s) => !isPlatformScope(s));
  const asked = input.scopes ?? offered;
  const foreign = asked.filter((s) => !offered.includes(s));
  if (foreign.length > 0) {
    throw new DomainError('validation-failed', `The ${api.name} API has no scope ${foreign.join(', ')}.`, {
      errors: [{ pointer: '/scopes', message: `not scopes of ${api.name}: ${foreign.join(', ')}` }],
    });
  }
  const missing = asked.filter((s) => !app.scopes.includes(s));
  if (input.scopes?.length === 0 && !input.rateLimits)
    throw new DomainError('validation-failed', 'The request asks for nothing: name scopes or a plan.', {
      errors: [{ pointer: '/scopes', message: 'must name a scope, or come with rateLimits' }],
    });
  if (missing.length === 0 && asked.length > 0 && !input.rateLimits)
    throw new DomainError('conflict', `The app already holds every scope it asks for on ${api.name}.`);
  return {
    requestId: newId('acr'),
    appId: app.appId,
    appName: app.name,
    developerId: app.developerId!,
    apiName: api.name,
    scopes: missing,
    ...(input.rateLimits ? { rateLimits: input.rateLimits } : {}),
    ...(input.note ? { note: input.note } : {}),
    status: 'pending',
    createdAt: now.toISOString(),
    requestedBy,
  };
}

/** The request decided, the app as approval leaves it (with the scopes), and the audit entry of both. */
export function decide(
  request: AccessRequest | undefined,
  app: App | undefined,
  decision: { approve: boolean; reason?: string },
  actor: AuditEntry['actor'],
  requestId: string,
  now: Date,
): { request: AccessRequest; app?: App; audit: AuditEntry } {
  if (!request) throw new DomainError('not-found', 'No such access request.');
  if (request.status !== 'pending')
    throw new DomainError('conflict', `The request was already ${request.status}.`);
  if (decision.approve && app?.status !== 'active')
    throw new DomainError('conflict', 'The app is gone or disabled: reject the request instead.');
  const decided: AccessRequest = {
    ...request,
    status: decision.approve ? 'approved' : 'rejected',
    decidedAt: now.toISOString(),
    decidedBy: actor.subject,
    ...(decision.reason ? { reason: decision.reason } : {}),
  };
  const granted =
    decision.approve && app
      ? {
          ...app,
          scopes: [...new Set([...app.scopes, ...request.scopes])],
          ...(request.rateLimits ? { rateLimits: { ...app.rateLimits, ...request.rateLimits } } : {}),
          updatedAt: now.toISOString(),
        }
      : undefined;
  const held = (a: App) => ({ scopes: a.scopes, ...(a.rateLimits ? { rateLimits: a.rateLimits } : {}) });
  const audit = auditEntry(
    actor,
    decision.approve ? 'access-request.approve' : 'access-request.reject',
    { type: 'access-request', id: request.requestId },
    {
      before: { request, ...(granted && app ? held(app) : {}) },
      after: { request: decided, ...(granted ? held(granted) : {}) },
    },
    now,
    requestId,
  );
  return { request: decided, ...(granted ? { app: granted } : {}), audit };
}
