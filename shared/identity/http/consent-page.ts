import { escapeHtml, htmlPage } from '../../http/html-page.ts';
import type { HttpResult } from '../../http/types.ts';
import type { AuthorizeOutcome } from '../authorize.ts';

/** Pages that hold credentials must not be framed, cached, or leak through the Referer header. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Renders the outcome of the authorization endpoint as an HTTP response. */
export function authorizeResponse(outcome: AuthorizeOutcome): HttpResult {
  switch (outcome.kind) {
    case 'redirect':
      return { statusCode: 302, headers: { location: outcome.location, 'cache-control': 'no-store' } };
    case 'error-page':
      return {
        statusCode: outcome.status,
        headers: PAGE_HEADERS,
        body: htmlPage('Cannot continue', `<h1>Cannot continue</h1><p>${escapeHtml(outcome.message)}</p>`),
      };
    case 'consent': {
      const { app, request, error } = outcome;
      const scopes = request.scope.split(' ').filter(Boolean);
      const list = scopes.length
        ? scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')
        : '<li>basic access</li>';
      // The platform's own web app signs people in; it does not ask for consent.
      const intro = app.firstParty
        ? `<h1>Sign in to ${escapeHtml(app.name)}</h1>`
        : `<h1>${escapeHtml(app.name)} asks for access</h1>
<p>Sign in to let it act for you with:</p><ul>${list}</ul>`;
      const buttons = app.firstParty
        ? '<button class="primary" name="decision" value="approve">Sign in</button>'
        : '<button class="primary" name="decision" value="approve">Approve</button><button name="decision" value="deny" formnovalidate>Deny</button>';
      return {
        statusCode: error ? 401 : 200,
        headers: PAGE_HEADERS,
        body: htmlPage(
          'Sign in',
          `${intro}
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/oauth2/authorize">
<input type="hidden" name="request_id" value="${escapeHtml(request.id)}">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<div class="buttons">${buttons}</div>
</form>`,
        ),
      };
    }
  }
}
