import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { createNotice, type Notice } from '../api/partners.ts';
import { describedBy, Field, FieldErrors } from '../ui/field.tsx';
import { formatCount } from '../ui/format.ts';
import { checkNotice, MAX_CONTENT, type NoticeField, newNoticeForm, noticeFieldOf } from './notice-input.ts';

type Problems = Partial<Record<NoticeField, string>>;

/** The platform's refusal, its field errors put against the inputs. */
function problemsOf(error: unknown): Problems | undefined {
  if (!(error instanceof ApiError) || error.status !== 400 || error.errors.length === 0) return undefined;
  const problems: Problems = {};
  for (const fieldError of error.errors) {
    const field = noticeFieldOf(fieldError.pointer);
    if (!field) return undefined;
    problems[field] = fieldError.message;
  }
  return problems;
}

/** An operator's notice: the partner is unavailable from one time to another. */
export function NoticeForm({
  partnerId,
  onCreated,
}: {
  partnerId: string;
  onCreated: (notice: Notice) => void;
}) {
  const id = useId();
  const [form, setForm] = useState(() => newNoticeForm(Date.now()));
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const errorsOf = (field: NoticeField) => (problems[field] ? [problems[field]] : undefined);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(undefined);
    const check = checkNotice(form);
    if (!check.ok) {
      setProblems(check.problems);
      const first = Object.keys(check.problems)[0];
      if (first) document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    setProblems({});
    setSending(true);
    try {
      const notice = await createNotice(partnerId, check.body);
      setForm(newNoticeForm(Date.now()));
      onCreated(notice);
    } catch (error) {
      const placed = problemsOf(error);
      if (placed) setProblems(placed);
      else setFailure(error);
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="card notice-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="h-card">
        Create a notice
      </h2>
      <p className="muted">
        A notice in force makes the partner unhealthy, whatever automatic detection says: no calls are let
        through until it ends.
      </p>
      {failure ? <ProblemMessage error={failure} context="The notice was not created." /> : null}
      <Field
        id={`${id}-content`}
        label="What is wrong"
        hint={`At most ${formatCount(MAX_CONTENT)} characters.`}
        errors={errorsOf('content')}
      >
        {(wiring) => (
          <textarea
            {...wiring}
            rows={2}
            value={form.content}
            maxLength={MAX_CONTENT}
            onChange={(e) => setForm({ ...form, content: e.target.value })}
          />
        )}
      </Field>
      <div className="field-pair">
        <Field id={`${id}-begin`} label="From (your local time)" errors={errorsOf('begin')}>
          {(wiring) => (
            <input
              {...wiring}
              type="datetime-local"
              value={form.begin}
              onChange={(e) => setForm({ ...form, begin: e.target.value })}
            />
          )}
        </Field>
        <Field id={`${id}-end`} label="Until (your local time)" errors={errorsOf('end')}>
          {(wiring) => (
            <input
              {...wiring}
              type="datetime-local"
              value={form.end}
              onChange={(e) => setForm({ ...form, end: e.target.value })}
            />
          )}
        </Field>
      </div>
      <div className="field">
        <FieldErrors id={`${id}-effective`} errors={errorsOf('effective')} />
        <div className="check">
          <input
            id={`${id}-effective`}
            type="checkbox"
            checked={form.effective}
            onChange={(e) => setForm({ ...form, effective: e.target.checked })}
            aria-describedby={describedBy(`${id}-effective`, false, Boolean(problems.effective))}
          />
          <label htmlFor={`${id}-effective`}>Effective (clear it to record a cancelled notice)</label>
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={sending}>
          {sending ? 'Creating…' : 'Create notice'}
        </button>
      </div>
    </form>
  );
}
