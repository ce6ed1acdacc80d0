import { DomainError } from '../../kernel/errors.ts';

export type MappingStage = 'request' | 'response';

/** Why a transform failed at call time: stable, sent to the caller as `reason`. */
export type MappingFailureReason =
  | 'expression-failed'
  | 'timeout'
  | 'too-deep'
  | 'not-json'
  | 'too-large'
  | 'malformed-json'
  | 'malformed-xml'
  | 'encoded-answer';

const EXPLANATIONS: Record<MappingFailureReason, string> = {
  'expression-failed': 'the mapping expression failed',
  timeout: 'the mapping ran out of time',
  'too-deep': 'the mapping recursed too deeply',
  'not-json': 'the mapping result is not JSON',
  'too-large': 'the result is too large',
  'malformed-json': 'the upstream answer is not valid JSON',
  'malformed-xml': 'the upstream answer is not valid XML',
  'encoded-answer': 'the upstream answer is content-encoded',
};

/**
 * The 502 `mapping-failed` refusal. The detail names only the stage and the reason: what the
 * expression or parser said stays in `cause`, for the logs.
 */
export function mappingFailed(stage: MappingStage, reason: MappingFailureReason, cause?: unknown) {
  return new DomainError(
    'mapping-failed',
    `The ${stage} transform of this route could not be applied: ${EXPLANATIONS[reason]}.`,
    { reason },
    {},
    cause,
  );
}
