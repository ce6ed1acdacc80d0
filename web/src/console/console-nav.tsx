import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';

interface Item {
  href: string;
  label: string;
  /** Other sections shown as this item's pages: a trace is found from the logs. */
  also?: string[];
}

const ITEMS: Item[] = [
  { href: '/', label: 'Overview' },
  { href: '/apis', label: 'APIs' },
  { href: '/logs', label: 'Logs', also: ['/traces'] },
  { href: '/partners', label: 'Partners' },
  { href: '/developers', label: 'Developers' },
  { href: '/apps', label: 'Apps' },
  { href: '/access-requests', label: 'Access requests' },
  { href: '/audit', label: 'Audit log' },
];

const within = (location: string, href: string) =>
  href === '/' ? location === '/' : location === href || location.startsWith(`${href}/`);

function ConsoleNavLink({ item, location }: { item: Item; location: string }): ReactNode {
  const current = [item.href, ...(item.also ?? [])].some((href) => within(location, href));
  return (
    <Link href={item.href} className="console-nav-link" aria-current={current ? 'page' : undefined}>
      {item.label}
    </Link>
  );
}

/** The console's sections; the current one marked. Paths are the console's own (below /console). */
export function ConsoleNav() {
  const [location] = useLocation();
  return (
    <nav aria-label="Console" className="console-nav">
      <ul>
        {ITEMS.map((item) => (
          <li key={item.href}>
            <ConsoleNavLink item={item} location={location} />
          </li>
        ))}
      </ul>
    </nav>
  );
}
