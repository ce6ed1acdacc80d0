import { API_NAME_PATTERN } from './api-definition.ts';
import { unknownApi } from './unknown-api.ts';

/**
 * The API groups a deployment gives gateway functions of their own (each with reserved concurrency,
 * so a group that fills its share cannot take the others'): group name → the APIs routed to it. APIs
 * of no group are served by the default gateway function.
 */
export type DeploymentGroups = Readonly<Record<string, readonly string[]>>;

const NAME = new RegExp(API_NAME_PATTERN);

/** Checks a deployment's groups: valid names, at least one API each, no API in two groups. */
export function checkDeploymentGroups(groups: unknown): DeploymentGroups {
  if (groups === null || typeof groups !== 'object' || Array.isArray(groups))
    throw new Error('gateway groups: an object of group name → API names');
  const owner = new Map<string, string>();
  for (const [group, apis] of Object.entries(groups)) {
    if (!NAME.test(group)) throw new Error(`gateway groups: "${group}" is not a valid group name`);
    if (!Array.isArray(apis) || apis.length === 0)
      throw new Error(`gateway groups: "${group}" must list at least one API`);
    for (const api of apis) {
      if (typeof api !== 'string' || !NAME.test(api))
        throw new Error(`gateway groups: "${group}" lists "${String(api)}", not an API name`);
      const other = owner.get(api);
      if (other !== undefined)
        throw new Error(`gateway groups: "${api}" is in both "${other}" and "${group}"`);
      owner.set(api, group);
    }
  }
  return groups as DeploymentGroups;
}

/** The group whose function serves `apiName`, or `''` for the default gateway function. */
export function groupOf(groups: DeploymentGroups, apiName: string): string {
  for (const [group, apis] of Object.entries(groups)) if (apis.includes(apiName)) return group;
  return '';
}

/**
 * Refuses a call that reached a gateway function other than its API's. API Gateway routes each API
 * of a group to that group's function by a route naming it literally (`viaGroupRoute`); a path it did
 * not match literally (an encoded name, say) takes the `{apiName}` route to the default function,
 * which answers as for an unknown API instead of serving the call outside its group. Decided from the
 * route alone, the same in every gateway function (the local runtime runs them as one module).
 */
export function checkServedHere(groups: DeploymentGroups, apiName: string, viaGroupRoute: boolean): void {
  if ((groupOf(groups, apiName) !== '') !== viaGroupRoute) throw unknownApi(apiName);
}
