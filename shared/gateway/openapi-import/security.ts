import { SCOPE_PATTERN } from '../../kernel/scopes.ts';
import { escapeSegment, isObject, type Json, own } from './pointer.ts';
import type { ImportFindings } from './problems.ts';
import { resolveObject } from './references.ts';

const MAX_SCOPES = 50;
const scopePattern = new RegExp(SCOPE_PATTERN);

/**
 * The scopes a route requires, from the operation's security (or the document's): the OAuth2 and
 * OpenID Connect scopes of every alternative the document offers, together. A route's
 * `requiredScopes` are all required, so alternatives with different scopes are merged into a stricter
 * rule, never a looser one; an alternative without any requirement (`{}`) does not make the route
 * public either: callers still authenticate as the API's `authModes` say. Both cases are warned of.
 */
export function securityScopes(
  document: Json,
  operation: Json,
  at: string,
  findings: ImportFindings,
): string[] {
  const own_ = own(operation, 'security');
  const requirements = own_ ?? own(document, 'security');
  const where = own_ !== undefined ? `${at}/security` : '/security';
  if (requirements === undefined) return [];
  if (!Array.isArray(requirements)) {
    findings.refuse(where, 'must be an array of security requirements');
    return [];
  }
  const scopes = new Set<string>();
  const alternatives: string[][] = [];
  requirements.forEach((requirement, i) => {
    if (!isObject(requirement)) {
      findings.refuse(`${where}/${i}`, 'must be a security requirement object');
      return;
    }
    const listed: string[] = [];
    for (const [scheme, list] of Object.entries(requirement)) {
      const schemeAt = `${where}/${i}/${escapeSegment(scheme)}`;
      const type = schemeType(document, scheme, schemeAt, findings);
      if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
        findings.refuse(schemeAt, 'must be a list of scopes');
        continue;
      }
      if (type !== 'oauth2' && type !== 'openIdConnect') {
        if (list.length > 0)
          findings.warn(schemeAt, `roles of a ${type ?? 'unknown'} scheme are not enforced`);
        continue;
      }
      list.forEach((scope, j) => {
        if (scopePattern.test(scope)) listed.push(scope);
        else findings.refuse(`${schemeAt}/${j}`, `must match ${SCOPE_PATTERN}`);
      });
    }
    alternatives.push(listed);
    for (const scope of listed) scopes.add(scope);
  });
  if (alternatives.length > 1 && alternatives.some((listed) => listed.length < scopes.size)) {
    findings.warn(where, 'offers alternatives: the gateway requires the scopes of all of them together');
  }
  if (requirements.some((r) => isObject(r) && Object.keys(r).length === 0)) {
    findings.warn(where, 'allows anonymous calls: the gateway still authenticates every caller');
  }
  if (scopes.size > MAX_SCOPES) {
    findings.refuse(where, `names ${scopes.size} scopes; a route may require at most ${MAX_SCOPES}`);
    return [];
  }
  return [...scopes];
}

function schemeType(document: Json, name: string, at: string, findings: ImportFindings): string | undefined {
  const components = isObject(document.components) ? document.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const node = own(schemes, name);
  if (node === undefined) {
    findings.refuse(at, 'names no scheme of #/components/securitySchemes');
    return undefined;
  }
  const resolved = resolveObject(
    document,
    node,
    `/components/securitySchemes/${escapeSegment(name)}`,
    'securitySchemes',
    findings,
  );
  const type = resolved?.value.type;
  return typeof type === 'string' ? type : undefined;
}
