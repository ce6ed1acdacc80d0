import { createConfig, lintFromString } from '@redocly/openapi-core';

export interface LintProblem {
  severity: string;
  rule: string;
  message: string;
  pointer?: string;
}

/** Every problem Redocly's `recommended` rules find in an OpenAPI document, warnings included. */
export async function lintOpenApi(document: unknown, name = 'document.json'): Promise<LintProblem[]> {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({
    source: JSON.stringify(document),
    absoluteRef: `/${name}`,
    config,
  });
  return problems.map((p) => ({
    severity: p.severity,
    rule: p.ruleId,
    message: p.message,
    pointer: p.location[0]?.pointer,
  }));
}
