import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type CreatedApp, createApp } from '../api/my-apps.ts';
import { fieldMessage, formErrorsOf } from '../ui/field-errors.ts';
import { focusFirstInvalid } from '../ui/focus.ts';
import { FormField } from '../ui/form-field.tsx';
import { FormProblem } from '../ui/form-problem.tsx';
import { useAction } from '../ui/use-action.ts';

const FIELDS = ['name', 'description'] as const;
type Field = (typeof FIELDS)[number];

interface Props {
  onCreated: (app: CreatedApp) => void;
  onCancel: () => void;
}

/** A new app: its name and what it does; it gets a production and a sandbox credential. */
export function CreateAppForm({ onCreated, onCancel }: Props) {
  const form = useRef<HTMLFormElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [checked, setChecked] = useState<Partial<Record<Field, string>>>({});
  const create = useAction(createApp);
  const server = formErrorsOf(create.error, FIELDS);
  const errors: Partial<Record<Field, string>> = {
    ...checked,
    ...(server.fields.name ? { name: fieldMessage('The name', server.fields.name) } : {}),
    ...(server.fields.description
      ? { description: fieldMessage('The description', server.fields.description) }
      : {}),
  };
  useEffect(() => {
    nameInput.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!name.trim()) found.name = 'Enter a name for the app.';
    else if (name.length > 100) found.name = 'The name may have at most 100 characters.';
    if (description.length > 1000) found.description = 'The description may have at most 1,000 characters.';
    setChecked(found);
    create.reset();
    if (Object.keys(found).length > 0) return focusFirstInvalid(form.current);
    const created = await create.run({
      name: name.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
    });
    if (created) onCreated(created);
    else focusFirstInvalid(form.current);
  };

  return (
    <form ref={form} className="dev-form" onSubmit={submit} noValidate aria-label="Create an app">
      <FormField label="Name" required error={errors.name} hint="Shown to operators and on consent screens.">
        {(control) => (
          <input
            {...control}
            ref={nameInput}
            type="text"
            autoComplete="off"
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </FormField>
      <FormField
        label="Description"
        error={errors.description}
        hint="What the app does. At most 1,000 characters."
      >
        {(control) => (
          <textarea
            {...control}
            rows={3}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        )}
      </FormField>
      <FormProblem error={create.error} context="The app could not be created." others={server.others} />
      <div className="dev-actions">
        <button type="submit" className="button button-primary" disabled={create.busy}>
          {create.busy ? 'Creating…' : 'Create app'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
