import type { Violation } from '../../kernel/validation.ts';
import { syntaxErrorOf } from './mapping.ts';
import type { RequestTransform, ResponseTransform } from './transform-rules.ts';

interface WithTransforms {
  responseTransform?: ResponseTransform;
  routes?: { requestTransform?: RequestTransform; responseTransform?: ResponseTransform }[];
}

/** Every mapping expression of a definition that does not compile, pointed at. */
export function transformViolations(definition: WithTransforms): Violation[] {
  const violations: Violation[] = [];
  const check = (pointer: string, expression: string | undefined) => {
    const error = expression === undefined ? undefined : syntaxErrorOf(expression);
    if (error) violations.push({ pointer: `${pointer}/expression`, message: error });
  };
  check('/responseTransform', definition.responseTransform?.expression);
  definition.routes?.forEach((route, i) => {
    check(`/routes/${i}/requestTransform`, route.requestTransform?.expression);
    check(`/routes/${i}/responseTransform`, route.responseTransform?.expression);
  });
  return violations;
}
