import type { Expression } from 'jsonata';
import { jsonata } from './jsonata-loader.ts';
import { type MappingFailureReason, type MappingStage, mappingFailed } from './mapping-failure.ts';

/** Wall time one evaluation may take; checked by JSONata before every step. */
export const MAPPING_TIME_BUDGET_MS = 200;
/** Nested evaluation steps one evaluation may reach: a deep recursion stops here. */
export const MAPPING_DEPTH_BUDGET = 500;

/** A compiled JSONata mapping of one stage of one route. */
export interface Mapping {
  /**
   * The mapping of `input` with `bindings` as `$name` variables. Throws the 502 `mapping-failed`
   * refusal, whatever went wrong: an expression error, the time or depth budget exceeded.
   */
  evaluate(input: unknown, bindings: Record<string, unknown>): Promise<unknown>;
}

/**
 * Compiles `expression`. Definitions are checked on write (`syntaxErrorOf`); one that does not compile
 * anyway fails each call it serves, never the gateway.
 */
export function compileMapping(expression: string, stage: MappingStage): Mapping {
  let compiled: Expression;
  try {
    compiled = parse(expression);
  } catch (error) {
    return {
      evaluate: () => Promise.reject(mappingFailed(stage, 'expression-failed', error)),
    };
  }
  return {
    async evaluate(input, bindings) {
      try {
        return await compiled.evaluate(input, bindings);
      } catch (error) {
        throw mappingFailed(stage, reasonOf(error), error);
      }
    },
  };
}

/** What is wrong with `expression`, or undefined when it compiles. */
export function syntaxErrorOf(expression: string): string | undefined {
  try {
    parse(expression);
    return undefined;
  } catch (error) {
    const { message, position } = error as { message?: unknown; position?: unknown };
    const text = typeof message === 'string' ? message.slice(0, 200) : 'cannot be parsed';
    return `is not a valid JSONata expression${typeof position === 'number' ? ` at position ${position}` : ''}: ${text}`;
  }
}

const parse = (expression: string): Expression =>
  jsonata()(expression, { timeout: MAPPING_TIME_BUDGET_MS, stack: MAPPING_DEPTH_BUDGET });

function reasonOf(error: unknown): MappingFailureReason {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'D1012') return 'timeout';
  // JSONata's depth guard, or the JavaScript stack giving out first.
  if (code === 'D1011' || error instanceof RangeError) return 'too-deep';
  return 'expression-failed';
}

/** The JSON text of a mapping's result: undefined (nothing matched) is `null`. */
export function jsonText(value: unknown, stage: MappingStage, maxBytes: number): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value === undefined ? null : value, rejectFunctions);
  } catch (error) {
    throw mappingFailed(stage, 'not-json', error);
  }
  if (text === undefined) throw mappingFailed(stage, 'not-json');
  if (Buffer.byteLength(text) > maxBytes) throw mappingFailed(stage, 'too-large');
  return text;
}

function rejectFunctions(_key: string, value: unknown): unknown {
  if (typeof value === 'function' || (value as { _jsonata_lambda?: unknown } | null)?._jsonata_lambda)
    throw new TypeError('a function is not JSON');
  return value;
}
