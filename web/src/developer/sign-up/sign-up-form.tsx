import { type FormEvent, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { type SignUpResult, signUp } from '../api/sign-up.ts';
import { fieldMessage, formErrorsOf } from '../ui/field-errors.ts';
import { focusFirstInvalid } from '../ui/focus.ts';
import { FormField } from '../ui/form-field.tsx';
import { FormProblem } from '../ui/form-problem.tsx';
import { useAction } from '../ui/use-action.ts';
import {
  checkSignUp,
  MIN_PASSWORD_LENGTH,
  SIGN_UP_FIELDS,
  type SignUpValues,
  signUpBody,
} from './sign-up-input.ts';

type Field = keyof SignUpValues;

const LABELS: Record<Field, string> = {
  name: 'Your name',
  email: 'Email',
  company: 'Company',
  username: 'Username',
  password: 'Password',
};

const EMPTY: SignUpValues = { name: '', email: '', company: '', username: '', password: '' };

/** The platform's complaints, against their fields; a taken username is one too. */
function serverErrors(error: unknown): { fields: Partial<Record<Field, string>>; handled: boolean } {
  if (error instanceof ApiError && error.status === 409)
    return { fields: { username: 'This username is taken: choose another.' }, handled: true };
  const sorted = formErrorsOf(error, SIGN_UP_FIELDS);
  const fields: Partial<Record<Field, string>> = {};
  for (const [field, message] of Object.entries(sorted.fields))
    fields[field as Field] = fieldMessage(LABELS[field as Field], message);
  return { fields, handled: false };
}

/** A new developer account and the person who signs in for it. */
export function SignUpForm({ onSignedUp }: { onSignedUp: (result: SignUpResult) => void }) {
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<SignUpValues>(EMPTY);
  const [checked, setChecked] = useState<Partial<Record<Field, string>>>({});
  const send = useAction(signUp);
  const server = serverErrors(send.error);
  const errors = { ...checked, ...server.fields };
  const set = (field: Field) => (event: { target: { value: string } }) =>
    setValues((previous) => ({ ...previous, [field]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = checkSignUp(values);
    setChecked(found);
    send.reset();
    if (Object.keys(found).length > 0) return focusFirstInvalid(form.current);
    const result = await send.run(signUpBody(values));
    if (result) onSignedUp(result);
    else focusFirstInvalid(form.current);
  };

  const rateLimited = send.error instanceof ApiError && send.error.status === 429;
  return (
    <form
      ref={form}
      className="dev-form"
      onSubmit={submit}
      noValidate
      aria-label="Create a developer account"
    >
      <FormField label={LABELS.name} required error={errors.name}>
        {(control) => (
          <input {...control} type="text" autoComplete="name" value={values.name} onChange={set('name')} />
        )}
      </FormField>
      <FormField
        label={LABELS.email}
        required
        error={errors.email}
        hint="Where operators reach you about your apps."
      >
        {(control) => (
          <input
            {...control}
            type="email"
            autoComplete="email"
            value={values.email}
            onChange={set('email')}
          />
        )}
      </FormField>
      <FormField label={LABELS.company} error={errors.company}>
        {(control) => (
          <input
            {...control}
            type="text"
            autoComplete="organization"
            value={values.company}
            onChange={set('company')}
          />
        )}
      </FormField>
      <FormField
        label={LABELS.username}
        required
        error={errors.username}
        hint="3 to 64 lower-case letters, digits, dots, hyphens or underscores. You sign in with it."
      >
        {(control) => (
          <input
            {...control}
            type="text"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={values.username}
            onChange={set('username')}
          />
        )}
      </FormField>
      <FormField
        label={LABELS.password}
        required
        error={errors.password}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters, without your username. A passphrase of a few words works well.`}
      >
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="new-password"
            value={values.password}
            onChange={set('password')}
          />
        )}
      </FormField>
      {rateLimited ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">Too many sign-ups from your network.</p>
          <p>Wait a few minutes, then try again.</p>
        </div>
      ) : server.handled ? null : (
        <FormProblem
          error={send.error}
          context="The account could not be created."
          others={formErrorsOf(send.error, SIGN_UP_FIELDS).others}
        />
      )}
      <div className="dev-actions">
        <button type="submit" className="button button-primary" disabled={send.busy}>
          {send.busy ? 'Creating your account…' : 'Create account'}
        </button>
      </div>
    </form>
  );
}
