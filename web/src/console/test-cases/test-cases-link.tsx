import { Link } from 'wouter';
import { fetchTestCases } from '../api/test-cases.ts';
import { useLoad } from '../ui/use-load.ts';
import { casesHref } from './test-case-links.ts';
import { casesSummary } from './test-case-view.ts';

/** The API's test cases, linked from its page with how many there are and how many fail. */
export function TestCasesLink({ apiName }: { apiName: string }) {
  const cases = useLoad(`test-cases:${apiName}`, () => fetchTestCases(apiName));
  return (
    <span>
      <Link href={casesHref(apiName)}>Test cases</Link>
      {cases.state.status === 'ready' ? (
        <span className="muted"> ({casesSummary(cases.state.data)})</span>
      ) : null}
    </span>
  );
}
