import { Link, useLocation } from 'wouter';

const LINKS = [
  { href: '/', label: 'My apps' },
  { href: '/topics', label: 'Topics' },
] as const;

/** The developer pages' own navigation (paths below /apps). */
export function DeveloperNav() {
  const [location] = useLocation();
  const isCurrent = (href: string) => (href === '/' ? location !== '/topics' : location === href);
  return (
    <nav aria-label="Developer" className="dev-nav">
      <ul>
        {LINKS.map((link) => (
          <li key={link.href}>
            <Link
              href={link.href}
              className="dev-nav-link"
              aria-current={location === link.href ? 'page' : isCurrent(link.href) ? 'true' : undefined}
            >
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
