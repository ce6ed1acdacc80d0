import { Link, useSearch } from 'wouter';
import { ApiError } from '../../api/client.ts';
import { Badge } from '../../ui/badges.tsx';
import { Loading } from '../../ui/loading.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { fetchApi } from '../api/apis.ts';
import { RoleNote, useRoleAllows } from '../console-role.tsx';
import { TestCasesLink } from '../test-cases/test-cases-link.tsx';
import { formatDateTime } from '../ui/format.ts';
import { useLoad } from '../ui/use-load.ts';
import { ApiEditor } from './api-editor.tsx';
import { editableDefinition, NEW_DEFINITION } from './definition-form.ts';

function Breadcrumb() {
  return (
    <p className="breadcrumb">
      <Link href="/apis">APIs</Link>
    </p>
  );
}

export function NewApiPage() {
  const canEdit = useRoleAllows('operator');
  return (
    <>
      <title>New API · Console · Portico developers</title>
      <Breadcrumb />
      <h1>New API</h1>
      {canEdit ? (
        <ApiEditor
          name={undefined}
          initial={NEW_DEFINITION}
          revision={undefined}
          storedStatus={undefined}
          canEdit
          onReload={() => undefined}
        />
      ) : (
        <RoleNote needed="operator" what="Registering an API" />
      )}
    </>
  );
}

/** One registered API: its definition to edit, and where its documentation is published. */
export function ApiEditorPage({ name }: { name: string }) {
  const canEdit = useRoleAllows('operator');
  const created = new URLSearchParams(useSearch()).has('created');
  const api = useLoad(`api:${name}`, () => fetchApi(name));
  const state = api.state;
  const notFound = state.status === 'error' && state.error instanceof ApiError && state.error.status === 404;
  return (
    <>
      <title>{`${name} · APIs · Console · Portico developers`}</title>
      <Breadcrumb />
      <h1>{name}</h1>
      {state.status === 'loading' || state.status === 'idle' ? (
        <Loading label="Loading the definition…" />
      ) : null}
      {notFound ? (
        <p>
          No API is registered as <code>{name}</code>. <Link href="/apis/new">Register a new API</Link>.
        </p>
      ) : null}
      {state.status === 'error' && !notFound ? (
        <ProblemMessage error={state.error} context="The definition could not be loaded." />
      ) : null}
      {state.status === 'ready' ? (
        <>
          <div className="api-meta">
            <Badge tone="info">Revision {state.data.revision ?? state.data.data.revision}</Badge>
            {state.data.data.lifecycle?.status ? <Badge>{state.data.data.lifecycle.status}</Badge> : null}
            {state.data.data.updatedAt ? (
              <span className="muted">Updated {formatDateTime(state.data.data.updatedAt)}</span>
            ) : null}
            <Link href={`~/docs/${encodeURIComponent(name)}`}>Documentation page (/docs/{name})</Link>
            {state.data.data.lifecycle?.status === 'draft' ? (
              <span className="muted">published with the API: a draft has none yet</span>
            ) : null}
            <TestCasesLink apiName={name} />
          </div>
          {created ? (
            <p className="note note-success" role="status">
              The API was created.
            </p>
          ) : null}
          {canEdit ? null : <RoleNote needed="operator" what="Changing a definition" />}
          <ApiEditor
            key={`${state.data.revision}:${state.data.data.updatedAt ?? ''}`}
            name={name}
            initial={editableDefinition(state.data.data)}
            revision={state.data.revision ?? String(state.data.data.revision)}
            storedStatus={state.data.data.lifecycle?.status}
            canEdit={canEdit}
            onReload={api.reload}
          />
        </>
      ) : null}
    </>
  );
}
