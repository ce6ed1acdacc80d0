import { type FormEvent, useState } from 'react';
import { recoverSubscription } from '../api/messages.ts';
import { fieldMessage, formErrorsOf } from '../ui/field-errors.ts';
import { FormField } from '../ui/form-field.tsx';
import { FormProblem } from '../ui/form-problem.tsx';
import { fromLocalInput, toLocalInput } from '../ui/format.ts';
import { useAction } from '../ui/use-action.ts';

const DAY_MS = 86_400_000;

interface Props {
  appId: string;
  subscriptionId: string;
  onRecovered: () => void;
}

/** Sends every delivery that failed since a moment again, once the endpoint works. */
export function RecoverForm({ appId, subscriptionId, onRecovered }: Props) {
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - DAY_MS)));
  const [invalid, setInvalid] = useState<string>();
  const [said, setSaid] = useState('');
  const recover = useAction(recoverSubscription);
  const server = formErrorsOf(recover.error, ['since']);
  const error = invalid ?? (server.fields.since ? fieldMessage('The time', server.fields.since) : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaid('');
    const at = fromLocalInput(since);
    setInvalid(at ? undefined : 'Enter a date and time.');
    if (!at) return;
    const answer = await recover.run(appId, subscriptionId, at);
    if (!answer) return;
    const { moved, more } = answer.recovered;
    setSaid(
      moved === 0
        ? 'No delivery failed in that time.'
        : `${moved} failed ${moved === 1 ? 'delivery gets' : 'deliveries get'} a new round${more ? '; more are left: recover again' : ''}.`,
    );
    onRecovered();
  };

  return (
    <form
      className="dev-form dev-inline-form"
      onSubmit={submit}
      noValidate
      aria-label="Recover failed deliveries"
    >
      <FormField
        label="Send failed deliveries again, since"
        required
        error={error}
        hint="In your time zone. Use it once the endpoint works again."
      >
        {(control) => (
          <input
            {...control}
            type="datetime-local"
            value={since}
            onChange={(event) => setSince(event.target.value)}
          />
        )}
      </FormField>
      <button type="submit" className="button" disabled={recover.busy}>
        {recover.busy ? 'Recovering…' : 'Recover'}
      </button>
      <p className={said ? 'dev-success dev-inline-form-full' : 'visually-hidden'} role="status">
        {said}
      </p>
      <div className="dev-inline-form-full">
        <FormProblem
          error={recover.error}
          context="The deliveries could not be recovered."
          others={server.others}
        />
      </div>
    </form>
  );
}
