import { type KeyboardEvent, useRef } from 'react';

export interface TabChoice<K extends string> {
  key: K;
  label: string;
}

interface Props<K extends string> {
  /** The tab list's name: "Edit as". */
  label: string;
  /** Prefix of the tabs' and panels' ids (`tabPanelId` names a panel). */
  idBase: string;
  tabs: readonly TabChoice<K>[];
  selected: K;
  onSelect: (key: K) => void;
}

export const tabId = (idBase: string, key: string) => `${idBase}-tab-${key}`;
export const tabPanelId = (idBase: string, key: string) => `${idBase}-panel-${key}`;

/**
 * A tab list (WAI-ARIA tabs pattern): one tab stop, arrow keys, Home and End move between the tabs and
 * select them. The caller renders each panel with `role="tabpanel"` and the ids above.
 */
export function Tabs<K extends string>({ label, idBase, tabs, selected, onSelect }: Props<K>) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.key === selected);
    const target =
      event.key === 'ArrowRight'
        ? (index + 1) % tabs.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + tabs.length) % tabs.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tabs.length - 1
              : undefined;
    if (target === undefined) return;
    event.preventDefault();
    onSelect(tabs[target]!.key);
    buttons.current[target]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="tabs" onKeyDown={move}>
      {tabs.map((tab, index) => (
        <button
          key={tab.key}
          ref={(element) => {
            buttons.current[index] = element;
          }}
          type="button"
          role="tab"
          id={tabId(idBase, tab.key)}
          aria-controls={tabPanelId(idBase, tab.key)}
          aria-selected={tab.key === selected}
          tabIndex={tab.key === selected ? 0 : -1}
          className="tab"
          onClick={() => onSelect(tab.key)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
