import type { LifecycleStatus } from '../api/apis.ts';
import { describedBy, Field, FieldErrors } from '../ui/field.tsx';
import { type DefinitionForm, withNewUpstream } from './definition-form.ts';
import { LIFECYCLE_LABELS } from './lifecycle.ts';
import type { FieldKey, PlacedErrors } from './problem-fields.ts';
import { UpstreamFields } from './upstream-fields.tsx';

interface Props {
  idBase: string;
  form: DefinitionForm;
  onChange: (form: DefinitionForm) => void;
  errors: PlacedErrors;
  isNew: boolean;
  lifecycleChoices: readonly LifecycleStatus[];
}

/** The id of the input an error of `field` is shown against (for the error summary's links). */
export function inputIdOf(idBase: string, field: FieldKey, form: DefinitionForm): string {
  if (field.startsWith('upstreams.')) {
    const row = form.upstreams[Number(field.slice('upstreams.'.length))];
    return row ? `${idBase}-upstream-${row.id}` : `${idBase}-upstreams-error`;
  }
  if (field === 'upstreams') return `${idBase}-upstreams-error`;
  if (field === 'authModes') return `${idBase}-authModes-token`;
  return `${idBase}-${field}`;
}

/** The common members of a definition as a form. */
export function DefinitionFields({ idBase, form, onChange, errors, isNew, lifecycleChoices }: Props) {
  const errorsOf = (field: FieldKey) => errors.byField[field];
  const set = <K extends keyof DefinitionForm>(name: K, value: DefinitionForm[K]) =>
    onChange({ ...form, [name]: value });
  const id = (field: FieldKey) => `${idBase}-${field}`;
  const authErrors = errorsOf('authModes');
  const authId = id('authModes');

  return (
    <div className="definition-fields">
      {isNew ? (
        <Field
          id={id('name')}
          label="Name"
          hint="Lower-case letters, digits and hyphens, starting with a letter: callers reach it at /apis/{name}."
          errors={errorsOf('name')}
        >
          {(wiring) => (
            <input
              {...wiring}
              type="text"
              value={form.name}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => set('name', e.target.value)}
            />
          )}
        </Field>
      ) : null}
      <Field id={id('description')} label="Description" errors={errorsOf('description')}>
        {(wiring) => (
          <textarea
            {...wiring}
            rows={3}
            value={form.description}
            onChange={(e) => set('description', e.target.value)}
          />
        )}
      </Field>
      <div className="field-pair">
        <Field
          id={id('version')}
          label="Version"
          hint="As the API’s owners name it: 1, 2024-06…"
          errors={errorsOf('version')}
        >
          {(wiring) => (
            <input
              {...wiring}
              type="text"
              value={form.version}
              onChange={(e) => set('version', e.target.value)}
            />
          )}
        </Field>
        <Field id={id('timeoutMs')} label="Timeout (ms)" hint="1 to 28,000." errors={errorsOf('timeoutMs')}>
          {(wiring) => (
            <input
              {...wiring}
              type="text"
              inputMode="numeric"
              value={form.timeoutMs}
              onChange={(e) => set('timeoutMs', e.target.value)}
            />
          )}
        </Field>
      </div>
      <UpstreamFields
        idBase={idBase}
        rows={form.upstreams}
        onChange={(rows) => set('upstreams', rows)}
        onAdd={() => onChange(withNewUpstream(form))}
        errorsOf={errorsOf}
      />
      <Field
        id={id('requiredScopes')}
        label="Required scopes"
        hint="Scopes a caller must hold for every route, separated by spaces."
        errors={errorsOf('requiredScopes')}
      >
        {(wiring) => (
          <input
            {...wiring}
            type="text"
            value={form.requiredScopes}
            spellCheck={false}
            onChange={(e) => set('requiredScopes', e.target.value)}
          />
        )}
      </Field>
      <fieldset className={authErrors ? 'fieldset field-invalid' : 'fieldset'}>
        <legend>Authentication</legend>
        <FieldErrors id={authId} errors={authErrors} />
        {(['token', 'signature'] as const).map((mode) => (
          <div key={mode} className="check">
            <input
              id={`${authId}-${mode}`}
              type="checkbox"
              checked={form.authModes[mode]}
              onChange={(e) => set('authModes', { ...form.authModes, [mode]: e.target.checked })}
              aria-invalid={authErrors ? true : undefined}
              aria-describedby={describedBy(authId, false, Boolean(authErrors))}
            />
            <label htmlFor={`${authId}-${mode}`}>
              {mode === 'token' ? 'Access tokens (OAuth 2.0 bearer)' : 'Signed requests'}
            </label>
          </div>
        ))}
      </fieldset>
      <fieldset className="fieldset">
        <legend>Lifecycle</legend>
        <Field id={id('lifecycleStatus')} label="Status" errors={errorsOf('lifecycleStatus')}>
          {(wiring) => (
            <select
              {...wiring}
              value={form.lifecycleStatus}
              onChange={(e) => set('lifecycleStatus', e.target.value as LifecycleStatus)}
            >
              {lifecycleChoices.map((status) => (
                <option key={status} value={status}>
                  {LIFECYCLE_LABELS[status]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field-pair">
          <Field
            id={id('sunsetAt')}
            label="Sunset"
            hint="When a deprecated API stops being served (your local time)."
            errors={errorsOf('sunsetAt')}
          >
            {(wiring) => (
              <input
                {...wiring}
                type="datetime-local"
                value={form.sunsetAt}
                onChange={(e) => set('sunsetAt', e.target.value)}
              />
            )}
          </Field>
          <Field
            id={id('lifecycleLink')}
            label="Deprecation link"
            hint="Where callers read what replaces the API."
            errors={errorsOf('lifecycleLink')}
          >
            {(wiring) => (
              <input
                {...wiring}
                type="url"
                value={form.lifecycleLink}
                spellCheck={false}
                onChange={(e) => set('lifecycleLink', e.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <div className={errorsOf('mockEnabled') ? 'field field-invalid' : 'field'}>
        <FieldErrors id={id('mockEnabled')} errors={errorsOf('mockEnabled')} />
        <div className="check">
          <input
            id={id('mockEnabled')}
            type="checkbox"
            checked={form.mockEnabled}
            onChange={(e) => set('mockEnabled', e.target.checked)}
            aria-invalid={errorsOf('mockEnabled') ? true : undefined}
            aria-describedby={describedBy(id('mockEnabled'), false, Boolean(errorsOf('mockEnabled')))}
          />
          <label htmlFor={id('mockEnabled')}>Mock enabled: answer every call from the mock rules</label>
        </div>
      </div>
    </div>
  );
}
