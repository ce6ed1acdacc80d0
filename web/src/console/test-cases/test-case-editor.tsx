import { type FormEvent, type Ref, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'wouter';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { createTestCase, putTestCase, type TestCase } from '../api/test-cases.ts';
import { saveFailureOf } from '../apis/save-outcome.ts';
import { FieldErrorSummary } from '../ui/field-error-summary.tsx';
import { TestCaseFields } from './test-case-fields.tsx';
import {
  checkTestCaseForm,
  type FieldKey,
  hasErrors,
  inputIdOf,
  labelOfField,
  NO_ERRORS,
  type PlacedErrors,
  placeErrors,
  type TestCaseForm,
} from './test-case-form.ts';

/** A refused case's problems, each linking to its input; those of no field with their pointer. */
function ErrorSummary({
  ref,
  errors,
  targetOf,
}: {
  ref?: Ref<HTMLDivElement>;
  errors: PlacedErrors;
  targetOf: (field: FieldKey) => string;
}) {
  return (
    <FieldErrorSummary
      ref={ref}
      what="The test case was not saved"
      byField={errors.byField}
      otherCount={errors.unplaced.length}
      labelOf={labelOfField}
      targetOf={targetOf}
    >
      {errors.unplaced.map((error) => (
        <li key={`${error.pointer ?? error.path ?? ''}:${error.message}`}>
          <code>{error.pointer ?? error.path ?? '/'}</code> {error.message}
        </li>
      ))}
    </FieldErrorSummary>
  );
}

interface Props {
  apiName: string;
  /** The case edited; undefined for a new one. */
  caseId: string | undefined;
  initial: TestCaseForm;
  /** The revision the case was read at, written over conditionally. */
  revision: string | undefined;
  /** Where Cancel goes. */
  backHref: string;
  onSaved: (testCase: TestCase) => void;
  onReload: () => void;
}

type Failure =
  | { kind: 'invalid'; errors: PlacedErrors }
  | { kind: 'stale' }
  | { kind: 'other'; error: unknown };

/** A new or stored test case as a form, checked here first and then by the platform. */
export function TestCaseEditor({ apiName, caseId, initial, revision, backHref, onSaved, onReload }: Props) {
  const idBase = useId();
  const [form, setForm] = useState(initial);
  const [failure, setFailure] = useState<Failure>();
  const [saving, setSaving] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const isNew = caseId === undefined;
  const errors = failure?.kind === 'invalid' ? failure.errors : NO_ERRORS;

  useEffect(() => {
    if (failure) summary.current?.focus();
  }, [failure]);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const check = checkTestCaseForm(form);
    if (!check.ok) {
      setFailure({ kind: 'invalid', errors: check.errors });
      return;
    }
    setSaving(true);
    try {
      const saved =
        caseId === undefined
          ? await createTestCase(apiName, check.input)
          : (await putTestCase(apiName, caseId, check.input, revision ?? '')).data;
      setFailure(undefined);
      onSaved(saved);
    } catch (error) {
      const refused = saveFailureOf(error);
      setFailure(
        refused.kind === 'invalid' ? { kind: 'invalid', errors: placeErrors(refused.errors) } : refused,
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="test-case-editor"
      onSubmit={save}
      noValidate
      aria-label={isNew ? 'New test case' : 'Test case'}
    >
      {failure?.kind === 'invalid' && hasErrors(failure.errors) ? (
        <ErrorSummary
          ref={summary}
          errors={failure.errors}
          targetOf={(field) => inputIdOf(idBase, field, form)}
        />
      ) : null}
      {failure?.kind === 'stale' ? (
        <div ref={summary} className="alert alert-error" role="alert" tabIndex={-1}>
          <p className="alert-title">Someone else saved this test case since you opened it.</p>
          <p>Reload it to get the latest revision, then make your changes again.</p>
          <button type="button" className="button" onClick={onReload}>
            Reload the test case
          </button>
        </div>
      ) : null}
      {failure?.kind === 'other' ? (
        <div ref={summary} tabIndex={-1}>
          <ProblemMessage error={failure.error} context="The test case was not saved." />
        </div>
      ) : null}
      <TestCaseFields idBase={idBase} apiName={apiName} form={form} onChange={setForm} errors={errors} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : isNew ? 'Create the test case' : 'Save the test case'}
        </button>
        <Link href={backHref} className="button">
          Cancel
        </Link>
      </div>
    </form>
  );
}
