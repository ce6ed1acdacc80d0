import { Link } from 'wouter';

export function NotFoundPage() {
  return (
    <div className="page page-narrow">
      <title>Page not found · Portico developers</title>
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <div className="hero-actions">
        <Link href="/docs" className="button button-primary">
          Browse the APIs
        </Link>
        <Link href="/" className="button">
          Home
        </Link>
      </div>
    </div>
  );
}
