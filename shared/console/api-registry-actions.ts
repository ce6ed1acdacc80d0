import type { EgressGuard } from '../egress/guard.ts';
import {
  type ApiDefinition,
  type StoredApiDefinition,
  validateApiDefinition,
} from '../gateway/api-definition.ts';
import { nextLifecycle } from '../gateway/lifecycle.ts';
import type { ApiRegistry } from '../gateway/ports.ts';
import { unknownApi } from '../gateway/unknown-api.ts';
import type { TargetAllowList } from '../gateway/upstream-targets.ts';
import type { AppStore } from '../identity/ports.ts';
import { DomainError } from '../kernel/errors.ts';
import { parseIfMatch, RevisionConflictError } from '../kernel/revision.ts';
import type { Violation } from '../kernel/validation.ts';
import { auditEntry } from './audit.ts';
import type { ActionContext } from './console-actions.ts';
import type { ConsoleStore } from './ports.ts';

/**
 * The console's API registry: definitions validated on write (their upstream URLs against the egress
 * policy too), revisions against lost updates, audited.
 */
export class ApiRegistryActions {
  constructor(
    private readonly deps: {
      registry: ApiRegistry;
      store: Pick<ConsoleStore, 'appendAudit'>;
      egress: Pick<EgressGuard, 'check'>;
      apps: Pick<AppStore, 'getApp'>;
      /** Which functions, queues and buses an API may name: absent, none. */
      targets?: Pick<TargetAllowList, 'violations'>;
    },
  ) {}

  list(): Promise<StoredApiDefinition[]> {
    return this.deps.registry.list();
  }

  async get(name: string): Promise<StoredApiDefinition> {
    const api = await this.deps.registry.get(name);
    if (!api) throw unknownApi(name);
    return api;
  }

  /** The stored definition, or undefined when none is registered as `name`. */
  find(name: string): Promise<StoredApiDefinition | undefined> {
    return this.deps.registry.get(name);
  }

  /**
   * Checks a whole definition as a write would (shape, egress, provider app, lifecycle move) and
   * returns what would be stored over what is, storing nothing.
   */
  async prepare(ctx: ActionContext, name: string, body: Record<string, unknown>) {
    if (body.name !== undefined && body.name !== name) {
      throw new DomainError('validation-failed', 'name in the body differs from the path.', {
        errors: [{ pointer: '/name', message: 'must equal the name in the path' }],
      });
    }
    // What the registry keeps by itself comes back in a GET; a definition read and saved back may carry it.
    const { revision: _revision, updatedAt: _updatedAt, ...written } = body;
    const validated: ApiDefinition = validateApiDefinition({ ...written, name });
    await this.checkEgress(validated);
    await this.checkProviderApp(validated);
    const before = await this.deps.registry.get(name);
    const definition: ApiDefinition = {
      ...validated,
      lifecycle: nextLifecycle(before?.lifecycle, validated.lifecycle, !before, ctx.now),
    };
    return { before, definition };
  }

  /**
   * PUT semantics: the body is the whole definition; `If-Match: "<revision>"` makes the write
   * conditional. Audited as `action`, by default `api.create` or `api.update`.
   */
  async put(
    ctx: ActionContext,
    name: string,
    body: Record<string, unknown>,
    ifMatch: string | undefined,
    action?: string,
  ) {
    const { before, definition } = await this.prepare(ctx, name, body);
    const expected = parseIfMatch(ifMatch);
    let stored: StoredApiDefinition;
    try {
      stored = await this.deps.registry.put(definition, expected);
    } catch (error) {
      if (error instanceof RevisionConflictError) {
        throw new DomainError(
          'conflict',
          `The API changed since revision ${expected ?? 'read'}: ${error.message}.`,
        );
      }
      throw error;
    }
    await this.deps.store.appendAudit(
      auditEntry(
        ctx.actor,
        action ?? (before ? 'api.update' : 'api.create'),
        { type: 'api', id: name },
        { before, after: stored },
        ctx.now,
        ctx.requestId,
      ),
    );
    const from = before ? (before.lifecycle?.status ?? 'published') : undefined;
    if (from !== undefined && from !== stored.lifecycle?.status) {
      await this.deps.store.appendAudit(
        auditEntry(
          ctx.actor,
          'api.lifecycle',
          { type: 'api', id: name },
          { before: { status: from }, after: stored.lifecycle },
          ctx.now,
          ctx.requestId,
        ),
      );
    }
    return { created: !before, api: stored };
  }

  /** The provider app hears of the API's servers: it must be an app that exists. */
  private async checkProviderApp(definition: ApiDefinition): Promise<void> {
    if (definition.providerApp === undefined) return;
    if (await this.deps.apps.getApp(definition.providerApp)) return;
    throw new DomainError('validation-failed', `/providerApp names no app.`, {
      errors: [{ pointer: '/providerApp', message: 'names no app' }],
    });
  }

  /**
   * Every URL the platform would call for this API, and every function, queue or bus it would reach:
   * refused ones are the caller's 400, as other violations.
   */
  private async checkEgress(definition: ApiDefinition): Promise<void> {
    const targets = [
      ...definition.upstreams.flatMap((upstream, i) =>
        'url' in upstream ? [{ pointer: `/upstreams/${i}/url`, url: upstream.url }] : [],
      ),
      ...(definition.sandboxUpstream
        ? [{ pointer: '/sandboxUpstream/url', url: definition.sandboxUpstream.url }]
        : []),
    ];
    const decisions = await Promise.all(targets.map((t) => this.deps.egress.check(t.url)));
    const violations: Violation[] = [];
    decisions.forEach((decision, i) => {
      if (!decision.allowed) violations.push({ pointer: targets[i]!.pointer, message: decision.reason });
    });
    const others = definition.upstreams.flatMap((upstream, i) => ('url' in upstream ? [] : [i]));
    if (others.length > 0) {
      violations.push(
        ...(this.deps.targets?.violations(definition.upstreams) ??
          others.map((i) => ({
            pointer: `/upstreams/${i}`,
            message: 'only HTTP upstreams are allowed here',
          }))),
      );
    }
    if (violations.length > 0) {
      throw new DomainError(
        'validation-failed',
        violations.map((v) => `${v.pointer} ${v.message}`).join('; '),
        {
          errors: violations,
        },
      );
    }
  }

  async delete(ctx: ActionContext, name: string): Promise<void> {
    const before = await this.get(name);
    await this.deps.registry.delete(name);
    await this.deps.store.appendAudit(
      auditEntry(ctx.actor, 'api.delete', { type: 'api', id: name }, { before }, ctx.now, ctx.requestId),
    );
  }
}
