import { DomainError } from '../../kernel/errors.ts';
import type { Violation } from '../../kernel/validation.ts';

/** At most this many violations of one document are reported. */
const MAX_REPORTED = 50;

/**
 * What is wrong with a document (each with a pointer into it) and what the import leaves out or
 * approximates (warnings, which do not stop it).
 */
export class ImportFindings {
  readonly violations: Violation[] = [];
  readonly warnings: Violation[] = [];

  refuse(pointer: string, message: string): void {
    this.violations.push({ pointer, message });
  }

  warn(pointer: string, message: string): void {
    if (this.warnings.length < MAX_REPORTED) this.warnings.push({ pointer, message });
  }

  /** Throws `validation-failed` listing the violations, if there are any. */
  throwIfRefused(): void {
    if (this.violations.length > 0) throw refusal(this.violations);
  }
}

export function refusal(violations: readonly Violation[]): DomainError {
  const shown = violations.slice(0, MAX_REPORTED);
  const more = violations.length - shown.length;
  return new DomainError(
    'validation-failed',
    shown.map((v) => `${v.pointer} ${v.message}`).join('; ') + (more > 0 ? `; and ${more} more` : ''),
    { errors: shown },
  );
}
