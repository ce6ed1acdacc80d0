import { Link, useLocation } from 'wouter';
import { fetchTestCase } from '../api/test-cases.ts';
import { RoleNote, useRoleAllows } from '../console-role.tsx';
import { LoadView } from '../ui/load-view.tsx';
import { useLoad } from '../ui/use-load.ts';
import { TestCaseEditor } from './test-case-editor.tsx';
import { formOfTestCase, NEW_TEST_CASE_FORM } from './test-case-form.ts';
import { caseHref, casesHref } from './test-case-links.ts';

/** A new test case of the API. */
export function NewTestCasePage({ name }: { name: string }) {
  const canWrite = useRoleAllows('operator');
  const [, navigate] = useLocation();
  return (
    <>
      <title>{`New test case · ${name} · Console · Portico developers`}</title>
      <p className="breadcrumb">
        <Link href={casesHref(name)}>Test cases of {name}</Link>
      </p>
      <h1>New test case of {name}</h1>
      {canWrite ? (
        <TestCaseEditor
          apiName={name}
          caseId={undefined}
          initial={NEW_TEST_CASE_FORM}
          revision={undefined}
          backHref={casesHref(name)}
          onSaved={(created) => navigate(`${caseHref(name, created.caseId)}?created=1`, { replace: true })}
          onReload={() => undefined}
        />
      ) : (
        <RoleNote needed="operator" what="Writing a test case" />
      )}
    </>
  );
}

/** A stored test case to change, written over the revision it was read at. */
export function EditTestCasePage({ name, caseId }: { name: string; caseId: string }) {
  const canWrite = useRoleAllows('operator');
  const [, navigate] = useLocation();
  const testCase = useLoad(`test-case:${name}:${caseId}`, () => fetchTestCase(name, caseId));
  const caseName = testCase.state.status === 'ready' ? testCase.state.data.data.name : 'test case';
  return (
    <>
      <title>{`Edit ${caseName} · ${name} · Console · Portico developers`}</title>
      <p className="breadcrumb">
        <Link href={caseHref(name, caseId)}>{caseName}</Link>
      </p>
      <h1>Edit {caseName}</h1>
      {canWrite ? (
        <LoadView
          state={testCase.state}
          loading="Loading the test case…"
          failure="The test case could not be loaded."
        >
          {({ data, revision }) => (
            <TestCaseEditor
              key={revision ?? data.revision}
              apiName={name}
              caseId={caseId}
              initial={formOfTestCase(data)}
              revision={revision ?? String(data.revision)}
              backHref={caseHref(name, caseId)}
              onSaved={() => navigate(`${caseHref(name, caseId)}?saved=1`, { replace: true })}
              onReload={testCase.reload}
            />
          )}
        </LoadView>
      ) : (
        <RoleNote needed="operator" what="Changing a test case" />
      )}
    </>
  );
}
