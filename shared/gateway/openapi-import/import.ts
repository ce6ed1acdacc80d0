import { DomainError } from '../../kernel/errors.ts';
import type { Violation } from '../../kernel/validation.ts';
import { type ApiDefinition, apiDefinitionSchema, validateApiDefinition } from '../api-definition.ts';
import { convertDocument } from './convert.ts';
import { type ImportSettings, mergeImport } from './merge.ts';
import { parseDocument } from './parse.ts';
import { pointerTo } from './pointer.ts';
import { ImportFindings, refusal } from './problems.ts';

/** Registry items are stored whole (DynamoDB caps one at 400 KB): a bigger conversion is refused. */
export const MAX_IMPORTED_DEFINITION_BYTES = 350 * 1024;

export interface OpenApiImport {
  /** The definition to store, validated as a PUT would validate it. */
  definition: ApiDefinition;
  /** What the import left out or approximated, with pointers into the document. */
  warnings: Violation[];
}

/**
 * Turns an OpenAPI 3.0 or 3.1 document (JSON or YAML text) into the definition of API `name`, over
 * its current revision. Pure: no I/O. Anything wrong is `validation-failed` with pointers into the
 * document, whatever the input.
 */
export function importOpenApi(
  text: string,
  name: string,
  current: ApiDefinition | undefined,
  settings: ImportSettings = {},
): OpenApiImport {
  const parsed = parseDocument(text);
  const findings = new ImportFindings();
  const contract = convertDocument(parsed, findings, apiDefinitionSchema.properties.routes.maxItems);
  const candidate = mergeImport(name, contract, current, settings, findings);
  findings.throwIfRefused();
  const bytes = Buffer.byteLength(JSON.stringify(candidate));
  if (bytes > MAX_IMPORTED_DEFINITION_BYTES) {
    throw refusal([
      {
        pointer: '',
        message: `converts to a ${bytes}-byte definition; at most ${MAX_IMPORTED_DEFINITION_BYTES} are stored`,
      },
    ]);
  }
  try {
    return { definition: validateApiDefinition(candidate), warnings: findings.warnings };
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'validation-failed') throw error;
    const errors = (error.details.errors as Violation[] | undefined) ?? [];
    throw refusal(errors.map((v) => inDocument(v, contract.routes)));
  }
}

/** A violation of the converted definition, pointed at the operation its route came from. */
function inDocument(violation: Violation, routes: { method: string; path: string }[]): Violation {
  const match = /^\/routes\/(\d+)(\/.*)?$/.exec(violation.pointer);
  const route = match ? routes[Number(match[1])] : undefined;
  if (!route) return { pointer: violation.pointer, message: `(in the definition) ${violation.message}` };
  return {
    pointer: pointerTo('paths', route.path, route.method.toLowerCase()),
    message: `${match![2] ?? ''} ${violation.message}`.trim(),
  };
}
