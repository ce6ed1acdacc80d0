import { type FormEvent, useId, useState } from 'react';
import type { UsageFilters } from '../api/analytics.ts';
import { fetchApis } from '../api/apis.ts';
import { fetchPartners } from '../api/partners.ts';
import { useLoad } from '../ui/use-load.ts';
import { cleanFilters, filterProblem, RANGE_CHOICES, type RangeChoice } from './usage-filters.ts';

interface Props {
  filters: UsageFilters;
  range: RangeChoice;
  onApply: (filters: UsageFilters, range: RangeChoice) => void;
}

/** Names a select offers: the registry's, or none while they load (the filter then lists only "all"). */
function useNames<T>(key: string, load: () => Promise<T[]>, nameOf: (item: T) => string): string[] {
  const loaded = useLoad(key, load);
  return loaded.state.status === 'ready' ? loaded.state.data.map(nameOf).sort() : [];
}

/** What the overview's figures cover: a range, and an API, an app or a partner. */
export function UsageFilterForm({ filters, range, onApply }: Props) {
  const [draft, setDraft] = useState<UsageFilters>(filters);
  const [draftRange, setDraftRange] = useState<RangeChoice>(range);
  const [problem, setProblem] = useState<string>();
  const apis = useNames('apis', fetchApis, (api) => api.name);
  const partners = useNames('partners', fetchPartners, (partner) => partner.partnerId);
  const id = useId();
  const problemId = `${id}-problem`;

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = filterProblem(draft);
    setProblem(found);
    if (!found) onApply(cleanFilters(draft), draftRange);
  };
  const set = (name: keyof UsageFilters) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));
  const invalid = problem !== undefined;

  return (
    <form className="filter-bar" onSubmit={apply} aria-label="What the figures cover">
      <div className="field">
        <label htmlFor={`${id}-range`}>Range</label>
        <select
          id={`${id}-range`}
          value={draftRange}
          onChange={(e) => setDraftRange(e.target.value as RangeChoice)}
        >
          {RANGE_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-api`}>API</label>
        <select id={`${id}-api`} value={draft.api ?? ''} onChange={(e) => set('api')(e.target.value)}>
          <option value="">All APIs</option>
          {apis.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-app`}>App id</label>
        <input
          id={`${id}-app`}
          type="text"
          value={draft.app ?? ''}
          placeholder="app_…"
          spellCheck={false}
          onChange={(e) => set('app')(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-partner`}>Partner</label>
        <select
          id={`${id}-partner`}
          value={draft.partner ?? ''}
          onChange={(e) => set('partner')(e.target.value)}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? problemId : undefined}
        >
          <option value="">Any partner</option>
          {partners.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </div>
      <div className="filter-actions">
        <button type="submit" className="button button-primary">
          Show
        </button>
      </div>
      {problem ? (
        <p id={problemId} className="field-error filter-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
