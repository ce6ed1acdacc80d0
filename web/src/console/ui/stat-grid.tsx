/** Headline figures as a description list: each label over its value. */
export function StatGrid({ figures }: { figures: { label: string; value: string }[] }) {
  return (
    <dl className="stat-grid">
      {figures.map((figure) => (
        <div key={figure.label} className="stat">
          <dt>{figure.label}</dt>
          <dd>{figure.value}</dd>
        </div>
      ))}
    </dl>
  );
}
