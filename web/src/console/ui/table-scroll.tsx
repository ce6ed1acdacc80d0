import { type ReactNode, useEffect, useRef, useState } from 'react';

/**
 * A wide table's sideways scroll. While it scrolls it is a named region in the tab order, so the
 * keyboard can scroll it too (WCAG 2.1.1); a table that fits adds no tab stop.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  const holder = useRef<HTMLElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const check = () => setScrolls(element.scrollWidth > element.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);
  // A named section is a region: while the table scrolls, it is announced and reachable by Tab.
  return (
    <section
      ref={holder}
      className="table-scroll"
      aria-label={scrolls ? `${label} table` : undefined}
      tabIndex={scrolls ? 0 : undefined}
    >
      {children}
    </section>
  );
}
