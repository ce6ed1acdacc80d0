import type { CaseEnvironment, CaseMethod } from '../api/test-cases.ts';
import { describedBy, Field, FieldErrors, type InputWiring } from '../ui/field.tsx';
import {
  type AssertionCheck,
  type AssertionRow,
  ENVIRONMENTS,
  type FieldKey,
  METHODS,
  newAssertion,
  nextAssertionId,
  type PlacedErrors,
  type TestCaseForm,
} from './test-case-form.ts';

interface Props {
  idBase: string;
  apiName: string;
  form: TestCaseForm;
  onChange: (form: TestCaseForm) => void;
  errors: PlacedErrors;
}

const CHECKS: { value: AssertionCheck; label: string }[] = [
  { value: 'equals', label: 'equals' },
  { value: 'exists', label: 'exists' },
  { value: 'absent', label: 'does not exist' },
];

const ENVIRONMENT_LABELS: Record<CaseEnvironment, string> = { sandbox: 'Sandbox', production: 'Production' };

interface AssertionProps {
  idBase: string;
  row: AssertionRow;
  index: number;
  onChange: (row: AssertionRow) => void;
  onRemove: () => void;
  errorsOf: (field: FieldKey) => readonly string[] | undefined;
}

/** One JSONPath assertion: its query, what it checks, and the value it expects when it compares. */
function AssertionFields({ idBase, row, index, onChange, onRemove, errorsOf }: AssertionProps) {
  const id = (part: 'path' | 'check' | 'value') => `${idBase}-assertion-${row.id}-${part}`;
  const name = `Assertion ${index + 1}`;
  const prefix = <span className="visually-hidden">{name}: </span>;
  const input = (part: 'path' | 'check' | 'value') => {
    const errors = errorsOf(`assertions.${index}.${part}`);
    return {
      errors,
      wiring: {
        id: id(part),
        'aria-invalid': errors ? (true as const) : undefined,
        'aria-describedby': describedBy(id(part), false, Boolean(errors)),
      },
    };
  };
  const path = input('path');
  const check = input('check');
  const value = input('value');
  return (
    <li className="assertion-row">
      <div className={path.errors ? 'field field-invalid' : 'field'}>
        <label htmlFor={id('path')}>{prefix}JSONPath</label>
        <FieldErrors id={id('path')} errors={path.errors} />
        <input
          {...path.wiring}
          type="text"
          className="code-input"
          spellCheck={false}
          autoComplete="off"
          placeholder="$.message"
          value={row.path}
          onChange={(e) => onChange({ ...row, path: e.target.value })}
        />
      </div>
      <div className={check.errors ? 'field field-invalid' : 'field'}>
        <label htmlFor={id('check')}>{prefix}Check</label>
        <FieldErrors id={id('check')} errors={check.errors} />
        <select
          {...check.wiring}
          value={row.check}
          onChange={(e) => onChange({ ...row, check: e.target.value as AssertionCheck })}
        >
          {CHECKS.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      {row.check === 'equals' ? (
        <div className={value.errors ? 'field field-invalid' : 'field'}>
          <label htmlFor={id('value')}>{prefix}Expected value (JSON)</label>
          <FieldErrors id={id('value')} errors={value.errors} />
          <input
            {...value.wiring}
            type="text"
            className="code-input"
            spellCheck={false}
            autoComplete="off"
            placeholder='"ok"'
            value={row.value}
            onChange={(e) => onChange({ ...row, value: e.target.value })}
          />
        </div>
      ) : (
        <div />
      )}
      <button type="button" className="button button-small assertion-remove" onClick={onRemove}>
        Remove<span className="visually-hidden"> {name.toLowerCase()}</span>
      </button>
    </li>
  );
}

/** Every member of a test case as a form: the request, what its answer must be, and when it runs. */
export function TestCaseFields({ idBase, apiName, form, onChange, errors }: Props) {
  const errorsOf = (field: FieldKey) => errors.byField[field];
  const id = (field: FieldKey) => `${idBase}-${field}`;
  const set = <K extends keyof TestCaseForm>(name: K, value: TestCaseForm[K]) =>
    onChange({ ...form, [name]: value });
  /** A JSON or line-based text the case is written in: monospace, not spell-checked. */
  const codeArea =
    (name: 'query' | 'headers' | 'body' | 'bodySchema', rows: number) => (wiring: InputWiring) => (
      <textarea
        {...wiring}
        className="code-input"
        rows={rows}
        spellCheck={false}
        value={form[name]}
        onChange={(e) => set(name, e.target.value)}
      />
    );
  const assertionsId = id('assertions');
  const assertionErrors = errorsOf('assertions');
  const enabledErrors = errorsOf('enabled');

  return (
    <div className="test-case-fields">
      <Field
        id={id('name')}
        label="Name"
        hint="What the case checks, in a few words."
        errors={errorsOf('name')}
      >
        {(wiring) => (
          <input
            {...wiring}
            type="text"
            value={form.name}
            maxLength={100}
            autoComplete="off"
            onChange={(e) => set('name', e.target.value)}
          />
        )}
      </Field>

      <fieldset className="fieldset">
        <legend>Request</legend>
        <div className="request-line">
          <Field id={id('method')} label="Method" errors={errorsOf('method')}>
            {(wiring) => (
              <select
                {...wiring}
                value={form.method}
                onChange={(e) => set('method', e.target.value as CaseMethod)}
              >
                {METHODS.map((method) => (
                  <option key={method} value={method}>
                    {method}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            id={id('path')}
            label="Request path"
            hint={`Below the API: /hello is sent to /apis/${apiName}/hello through the gateway.`}
            errors={errorsOf('path')}
          >
            {(wiring) => (
              <input
                {...wiring}
                type="text"
                className="code-input"
                value={form.path}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => set('path', e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="field-pair">
          <Field
            id={id('query')}
            label="Query parameters"
            hint="One name=value a line."
            errors={errorsOf('query')}
          >
            {codeArea('query', 3)}
          </Field>
          <Field
            id={id('headers')}
            label="Headers"
            hint="One Name: value a line. The runner sets Authorization itself."
            errors={errorsOf('headers')}
          >
            {codeArea('headers', 3)}
          </Field>
        </div>
        <Field
          id={id('body')}
          label="Request body (JSON)"
          hint="Sent as application/json with POST, PUT and PATCH. Blank for none."
          errors={errorsOf('body')}
        >
          {codeArea('body', 4)}
        </Field>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Expected answer</legend>
        <div className="field-pair">
          <Field id={id('status')} label="Expected status" hint="100 to 599." errors={errorsOf('status')}>
            {(wiring) => (
              <input
                {...wiring}
                type="text"
                inputMode="numeric"
                value={form.status}
                onChange={(e) => set('status', e.target.value)}
              />
            )}
          </Field>
          <Field
            id={id('maxLatencyMs')}
            label="Maximum latency (ms)"
            hint="Blank for no limit; at most 60,000."
            errors={errorsOf('maxLatencyMs')}
          >
            {(wiring) => (
              <input
                {...wiring}
                type="text"
                inputMode="numeric"
                value={form.maxLatencyMs}
                onChange={(e) => set('maxLatencyMs', e.target.value)}
              />
            )}
          </Field>
        </div>
        <Field
          id={id('bodySchema')}
          label="Body schema (JSON Schema)"
          hint='Optional: the answer’s body must be JSON valid against it, e.g. {"type": "object", "required": ["message"]}.'
          errors={errorsOf('bodySchema')}
        >
          {codeArea('bodySchema', 5)}
        </Field>
        <fieldset
          className={assertionErrors ? 'fieldset field-invalid' : 'fieldset'}
          aria-describedby={describedBy(assertionsId, true, Boolean(assertionErrors))}
        >
          <legend>JSONPath assertions</legend>
          <p id={`${assertionsId}-hint`} className="field-hint">
            RFC 9535 queries on the answer’s body: the value one selects (JSON: "text" in quotes, 42, true,
            null…), or whether it selects anything.
          </p>
          <FieldErrors id={assertionsId} errors={assertionErrors} />
          {form.assertions.length ? (
            <ol className="assertion-list">
              {form.assertions.map((row, index) => (
                <AssertionFields
                  key={row.id}
                  idBase={idBase}
                  row={row}
                  index={index}
                  errorsOf={errorsOf}
                  onChange={(next) =>
                    set(
                      'assertions',
                      form.assertions.map((r) => (r.id === row.id ? next : r)),
                    )
                  }
                  onRemove={() =>
                    set(
                      'assertions',
                      form.assertions.filter((r) => r.id !== row.id),
                    )
                  }
                />
              ))}
            </ol>
          ) : null}
          <button
            type="button"
            className="button button-small"
            onClick={() => set('assertions', [...form.assertions, newAssertion(nextAssertionId(form))])}
          >
            Add an assertion
          </button>
        </fieldset>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Where and when it runs</legend>
        <div className="field-pair">
          <Field
            id={id('environment')}
            label="Environment"
            hint="Sandbox calls the API’s sandbox; production calls its real upstreams. Either way as the platform’s tester app."
            errors={errorsOf('environment')}
          >
            {(wiring) => (
              <select
                {...wiring}
                value={form.environment}
                onChange={(e) => set('environment', e.target.value as CaseEnvironment)}
              >
                {ENVIRONMENTS.map((environment) => (
                  <option key={environment} value={environment}>
                    {ENVIRONMENT_LABELS[environment]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            id={id('everyMinutes')}
            label="Run every (minutes)"
            hint="1 to 1,440. Blank: only when run from here."
            errors={errorsOf('everyMinutes')}
          >
            {(wiring) => (
              <input
                {...wiring}
                type="text"
                inputMode="numeric"
                value={form.everyMinutes}
                onChange={(e) => set('everyMinutes', e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className={enabledErrors ? 'field field-invalid' : 'field'}>
          <FieldErrors id={id('enabled')} errors={enabledErrors} />
          <div className="check">
            <input
              id={id('enabled')}
              type="checkbox"
              checked={form.enabled}
              onChange={(e) => set('enabled', e.target.checked)}
              aria-invalid={enabledErrors ? true : undefined}
              aria-describedby={describedBy(id('enabled'), false, Boolean(enabledErrors))}
            />
            <label htmlFor={id('enabled')}>
              Enabled: runs on its schedule (a disabled case runs only when asked)
            </label>
          </div>
        </div>
      </fieldset>
    </div>
  );
}
