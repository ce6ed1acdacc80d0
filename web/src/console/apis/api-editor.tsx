import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { ApiError, type FieldError } from '../../api/client.ts';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { type ApiDefinition, fetchApi, type LifecycleStatus, putApi } from '../api/apis.ts';
import { Tabs, tabId, tabPanelId } from '../ui/tabs.tsx';
import { DefinitionFields, inputIdOf } from './definition-fields.tsx';
import {
  definitionJson,
  definitionOf,
  editableDefinition,
  formOf,
  type ParsedDefinition,
  parseDefinition,
} from './definition-form.ts';
import { ErrorSummary } from './error-summary.tsx';
import { lifecycleChoices } from './lifecycle.ts';
import { hasErrors, placeErrors } from './problem-fields.ts';
import { RawDefinition } from './raw-definition.tsx';
import { type SaveFailure, saveFailureOf } from './save-outcome.ts';

type Mode = 'form' | 'raw';
const MODES = [
  { key: 'form', label: 'Form' },
  { key: 'raw', label: 'Raw JSON' },
] as const;
const API_NAME = /^[a-z][a-z0-9-]{0,62}$/;

interface Props {
  /** The API edited; undefined for a new one. */
  name: string | undefined;
  initial: Record<string, unknown>;
  revision: string | undefined;
  storedStatus: LifecycleStatus | undefined;
  canEdit: boolean;
  onReload: () => void;
}

/** Is `name` free for a new API? An answer naming it means it is taken. */
async function nameTaken(name: string): Promise<boolean> {
  try {
    await fetchApi(name);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return false;
    throw error;
  }
}

/** Edits a definition as a form or as raw JSON, and saves it over the revision it was read at. */
export function ApiEditor({ name, initial, revision: readRevision, storedStatus, canEdit, onReload }: Props) {
  const idBase = useId();
  const [, navigate] = useLocation();
  const [mode, setMode] = useState<Mode>('form');
  const [base, setBase] = useState(initial);
  const [form, setForm] = useState(() => formOf(initial));
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string>();
  const [failure, setFailure] = useState<SaveFailure>();
  const [revision, setRevision] = useState(readRevision);
  const [status, setStatus] = useState<string>();
  const [saving, setSaving] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const isNew = name === undefined;
  const fieldErrors: FieldError[] = failure?.kind === 'invalid' ? failure.errors : [];
  const placed = placeErrors(fieldErrors);

  useEffect(() => {
    if (failure) summary.current?.focus();
  }, [failure]);

  const current = (): ParsedDefinition =>
    mode === 'form' ? { ok: true, definition: definitionOf(form, base) } : parseDefinition(text);

  const select = (next: Mode) => {
    if (next === mode) return;
    if (next === 'raw') {
      setText(definitionJson(definitionOf(form, base)));
      setMode('raw');
      return;
    }
    const parsed = parseDefinition(text);
    if (!parsed.ok) {
      setParseError(`${parsed.message} Fix it to go back to the form.`);
      return;
    }
    setParseError(undefined);
    setBase(parsed.definition);
    setForm(formOf(parsed.definition));
    setMode('form');
  };

  const showSaved = (saved: ApiDefinition, savedRevision: string | undefined) => {
    const definition = editableDefinition(saved);
    setBase(definition);
    setForm(formOf(definition));
    setText(definitionJson(definition));
    setRevision(savedRevision ?? String(saved.revision));
    setStatus(`Saved as revision ${savedRevision ?? saved.revision}.`);
  };

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = current();
    if (!parsed.ok) {
      setParseError(parsed.message);
      return;
    }
    const target = name ?? String(parsed.definition.name ?? '').trim();
    setStatus(undefined);
    setSaving(true);
    try {
      if (isNew && !API_NAME.test(target)) {
        const message = 'must be lower-case letters, digits and hyphens, starting with a letter';
        setFailure({ kind: 'invalid', errors: [{ pointer: '/name', message }] });
        return;
      }
      // A PUT without If-Match replaces whatever is stored: a new API must not land on an existing one.
      if (isNew && (await nameTaken(target))) {
        const message = 'is taken by an existing API: open that API to change it';
        setFailure({ kind: 'invalid', errors: [{ pointer: '/name', message }] });
        return;
      }
      const saved = await putApi(target, parsed.definition, isNew ? undefined : revision);
      setFailure(undefined);
      if (isNew) navigate(`/apis/${encodeURIComponent(target)}?created=1`, { replace: true });
      else showSaved(saved.data, saved.revision);
    } catch (error) {
      setFailure(saveFailureOf(error));
    } finally {
      setSaving(false);
    }
  };

  const fields = (
    <DefinitionFields
      idBase={idBase}
      form={form}
      onChange={setForm}
      errors={placed}
      isNew={isNew}
      lifecycleChoices={lifecycleChoices(storedStatus, isNew)}
    />
  );

  return (
    <form className="api-editor" onSubmit={save} noValidate aria-label="API definition">
      {failure?.kind === 'invalid' && hasErrors(placed) ? (
        <ErrorSummary
          ref={summary}
          errors={placed}
          targetOf={(field) => inputIdOf(idBase, field, form)}
          formShown={mode === 'form'}
          onShowRaw={() => select('raw')}
        />
      ) : null}
      {failure?.kind === 'stale' ? (
        <div ref={summary} className="alert alert-error" role="alert" tabIndex={-1}>
          <p className="alert-title">Someone else saved this API since you opened it.</p>
          <p>Reload it to get the latest revision, then make your changes again.</p>
          <button type="button" className="button" onClick={onReload}>
            Reload the API
          </button>
        </div>
      ) : null}
      {failure?.kind === 'other' ? (
        <div ref={summary} tabIndex={-1}>
          <ProblemMessage error={failure.error} context="The definition was not saved." />
        </div>
      ) : null}
      <Tabs label="Edit the definition as" idBase={idBase} tabs={MODES} selected={mode} onSelect={select} />
      <div
        role="tabpanel"
        id={tabPanelId(idBase, 'form')}
        aria-labelledby={tabId(idBase, 'form')}
        hidden={mode !== 'form'}
        className="tab-panel"
      >
        {canEdit ? (
          fields
        ) : (
          <fieldset disabled className="plain-fieldset">
            {fields}
          </fieldset>
        )}
      </div>
      <div
        role="tabpanel"
        id={tabPanelId(idBase, 'raw')}
        aria-labelledby={tabId(idBase, 'raw')}
        hidden={mode !== 'raw'}
        className="tab-panel"
      >
        <RawDefinition
          id={`${idBase}-json`}
          text={text}
          onChange={setText}
          readOnly={!canEdit}
          parseError={parseError}
          errors={mode === 'raw' ? fieldErrors : placed.unplaced}
        />
      </div>
      {canEdit ? (
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : isNew ? 'Create the API' : 'Save'}
          </button>
          <span className="muted" role="status">
            {status ?? ''}
          </span>
        </div>
      ) : null}
    </form>
  );
}
