import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { type Developer, setDeveloperStatus } from '../api/directory.ts';

/** Activates a pending or disabled developer account, or disables an active one (operators). */
export function DeveloperStatusButton({
  developer,
  onChanged,
}: {
  developer: Developer;
  onChanged: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const next = developer.status === 'active' ? 'disabled' : 'active';
  const verb = next === 'active' ? 'Activate' : 'Disable';
  const change = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await setDeveloperStatus(developer.developerId, next);
      onChanged();
    } catch (error) {
      setProblem(error instanceof ApiError ? (error.detail ?? error.title) : 'The change failed.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="button button-small" onClick={change} disabled={busy}>
        {verb}
        <span className="visually-hidden"> {developer.name}</span>
      </button>
      {problem ? (
        <span className="cell-note" role="alert">
          {problem}
        </span>
      ) : null}
    </>
  );
}
