import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorsPolicy, type CorsSettings, type PreflightAnswer } from './cors.ts';

const APP = 'https://app.example.com';
const LOCAL = 'http://localhost:3000';
const listed: CorsSettings = { allowOrigins: [APP, LOCAL] };

const preflightHeaders = (extra: Record<string, string | undefined> = {}) => ({
  origin: APP,
  'access-control-request-method': 'POST',
  ...extra,
});

function accepted(policy: CorsPolicy, headers: Record<string, string | undefined>): PreflightAnswer {
  const answer = policy.preflight(headers);
  if (!answer || 'refused' in answer)
    throw new Error(`expected an accepted preflight, got ${JSON.stringify(answer)}`);
  return answer;
}

function refusedReason(policy: CorsPolicy, headers: Record<string, string | undefined>): string {
  const answer = policy.preflight(headers);
  if (!answer || !('refused' in answer))
    throw new Error(`expected a refused preflight, got ${JSON.stringify(answer)}`);
  return answer.reason;
}

describe('CorsPolicy.isPreflight', () => {
  const policy = new CorsPolicy(listed);

  it('is an OPTIONS request with Origin and Access-Control-Request-Method', () => {
    expect(policy.isPreflight('OPTIONS', preflightHeaders())).toBe(true);
  });

  it('reads the header names case-insensitively', () => {
    expect(policy.isPreflight('OPTIONS', { Origin: APP, 'Access-Control-Request-Method': 'PUT' })).toBe(true);
  });

  it('is not a preflight without either header, with empty ones, or with another method', () => {
    expect(policy.isPreflight('OPTIONS', { origin: APP })).toBe(false);
    expect(policy.isPreflight('OPTIONS', { 'access-control-request-method': 'POST' })).toBe(false);
    expect(policy.isPreflight('OPTIONS', preflightHeaders({ origin: '' }))).toBe(false);
    expect(
      policy.isPreflight('OPTIONS', preflightHeaders({ 'access-control-request-method': undefined })),
    ).toBe(false);
    expect(policy.isPreflight('POST', preflightHeaders())).toBe(false);
  });

  it('does not depend on the API having CORS settings', () => {
    expect(new CorsPolicy(undefined).isPreflight('OPTIONS', preflightHeaders())).toBe(true);
  });
});

describe('CorsPolicy.preflight', () => {
  it('leaves the request to the caller when the API has no CORS settings', () => {
    expect(new CorsPolicy(undefined).preflight(preflightHeaders())).toBeUndefined();
  });

  it('accepts an allowed origin with the defaults', () => {
    expect(new CorsPolicy(listed).preflight(preflightHeaders())).toEqual({
      statusCode: 204,
      headers: {
        'access-control-allow-origin': APP,
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, HEAD',
        'access-control-allow-headers': 'authorization, content-type, traceparent, x-request-id',
        'access-control-max-age': '600',
        vary: 'origin, access-control-request-method, access-control-request-headers',
      },
    });
  });

  it('answers with the configured methods, headers, max age and credentials', () => {
    const policy = new CorsPolicy({
      allowOrigins: [APP],
      allowMethods: ['GET', 'DELETE'],
      allowHeaders: ['X-Tenant', 'content-type'],
      maxAgeSeconds: 0,
      allowCredentials: true,
    });
    const answer = accepted(
      policy,
      preflightHeaders({
        'access-control-request-method': 'DELETE',
        'access-control-request-headers': 'x-tenant',
      }),
    );
    expect(answer.headers).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, DELETE',
      'access-control-allow-headers': 'X-Tenant, content-type',
      'access-control-max-age': '0',
      'access-control-allow-credentials': 'true',
      vary: 'origin, access-control-request-method, access-control-request-headers',
    });
  });

  it('reads the request header names case-insensitively', () => {
    const answer = accepted(new CorsPolicy(listed), {
      ORIGIN: APP,
      'Access-Control-Request-Method': 'PUT',
      'ACCESS-CONTROL-REQUEST-HEADERS': 'Content-Type',
    });
    expect(answer.headers['access-control-allow-origin']).toBe(APP);
  });

  describe('origin matching', () => {
    const policy = new CorsPolicy(listed);
    const allowOrigin = (origin: string) => {
      const answer = policy.preflight(preflightHeaders({ origin }));
      return answer && !('refused' in answer) ? answer.headers['access-control-allow-origin'] : undefined;
    };

    it('echoes the exact origin that was sent', () => {
      expect(allowOrigin(APP)).toBe(APP);
      expect(allowOrigin(LOCAL)).toBe(LOCAL);
    });

    it('compares the host (and scheme) case-insensitively', () => {
      expect(allowOrigin('https://APP.Example.com')).toBe('https://APP.Example.com');
      expect(allowOrigin('HTTPS://app.example.com')).toBe('HTTPS://app.example.com');
    });

    it('treats a default port as no port, on either side', () => {
      expect(allowOrigin('https://app.example.com:443')).toBe('https://app.example.com:443');
      const withPort = new CorsPolicy({
        allowOrigins: ['https://app.example.com:443', 'http://a.example:80'],
      });
      expect(accepted(withPort, preflightHeaders()).headers['access-control-allow-origin']).toBe(APP);
      expect(accepted(withPort, preflightHeaders({ origin: 'http://a.example' })).statusCode).toBe(204);
    });

    it('matches configured IDN hosts by their ASCII form, as browsers send it', () => {
      const idn = new CorsPolicy({ allowOrigins: ['https://bücher.example'] });
      expect(accepted(idn, preflightHeaders({ origin: 'https://xn--bcher-kva.example' })).statusCode).toBe(
        204,
      );
    });

    it.each([
      ['another scheme', 'http://app.example.com'],
      ['another port', 'https://app.example.com:8443'],
      ['a missing port', 'http://localhost'],
      ['another host', 'https://evil.example.com'],
      ['a suffix trick', 'https://app.example.com.evil.com'],
      ['a prefix trick', 'https://evilapp.example.com'],
      ['a subdomain', 'https://sub.app.example.com'],
      ['a trailing slash', 'https://app.example.com/'],
      ['a path', 'https://app.example.com/x'],
      ['user info', 'https://user@app.example.com'],
      ['the null origin', 'null'],
      ['no scheme', 'app.example.com'],
      ['a comma list', `${APP}, ${LOCAL}`],
      ['surrounding spaces', ` ${APP}`],
      ['a port out of range', 'http://localhost:99999'],
    ])('refuses %s', (_, origin) => {
      expect(allowOrigin(origin)).toBeUndefined();
      expect(refusedReason(policy, preflightHeaders({ origin }))).toContain('origin');
    });

    it('ignores configured entries that are not bare origins', () => {
      const odd = new CorsPolicy({
        allowOrigins: ['https://app.example.com?x', 'https://u@b.example', 'nonsense'],
      });
      expect(odd.preflight(preflightHeaders())).toMatchObject({ refused: true });
      expect(odd.preflight(preflightHeaders({ origin: 'https://b.example' }))).toMatchObject({
        refused: true,
      });
    });
  });

  describe('the * origin', () => {
    const wildcard = new CorsPolicy({ allowOrigins: ['*'] });

    it('answers * for any origin when credentials are not allowed', () => {
      expect(accepted(wildcard, preflightHeaders()).headers['access-control-allow-origin']).toBe('*');
      expect(
        accepted(wildcard, preflightHeaders({ origin: 'http://[::1]:8080' })).headers[
          'access-control-allow-origin'
        ],
      ).toBe('*');
    });

    it('covers origins of non-web schemes such as app shells', () => {
      expect(accepted(wildcard, preflightHeaders({ origin: 'capacitor://localhost' })).statusCode).toBe(204);
    });

    it('still never matches null or a malformed origin', () => {
      expect(refusedReason(wildcard, preflightHeaders({ origin: 'null' }))).toContain('null');
      expect(wildcard.preflight(preflightHeaders({ origin: 'https://a.example/' }))).toMatchObject({
        refused: true,
      });
    });

    it('is ignored when credentials are allowed, leaving only the listed origins', () => {
      const credentialed = new CorsPolicy({ allowOrigins: ['*', APP], allowCredentials: true });
      expect(accepted(credentialed, preflightHeaders()).headers['access-control-allow-origin']).toBe(APP);
      expect(credentialed.preflight(preflightHeaders({ origin: 'https://other.example' }))).toMatchObject({
        refused: true,
      });
    });
  });

  describe('requested method', () => {
    it('refuses a method outside the default list', () => {
      const reason = refusedReason(
        new CorsPolicy(listed),
        preflightHeaders({ 'access-control-request-method': 'OPTIONS' }),
      );
      expect(reason).toContain('OPTIONS');
    });

    it('refuses a method outside the configured list', () => {
      const policy = new CorsPolicy({ allowOrigins: [APP], allowMethods: ['GET'] });
      expect(refusedReason(policy, preflightHeaders())).toContain('POST');
      expect(accepted(policy, preflightHeaders({ 'access-control-request-method': 'GET' })).statusCode).toBe(
        204,
      );
    });

    it('refuses everything with an empty configured list', () => {
      const policy = new CorsPolicy({ allowOrigins: [APP], allowMethods: [] });
      expect(policy.preflight(preflightHeaders({ 'access-control-request-method': 'GET' }))).toMatchObject({
        refused: true,
      });
    });

    it('compares the method case-insensitively and ignores surrounding spaces', () => {
      const policy = new CorsPolicy(listed);
      expect(
        accepted(policy, preflightHeaders({ 'access-control-request-method': ' patch ' })).statusCode,
      ).toBe(204);
    });

    it('refuses a request without Origin or Access-Control-Request-Method', () => {
      const policy = new CorsPolicy(listed);
      expect(refusedReason(policy, { origin: APP })).toContain('Access-Control-Request-Method');
      expect(refusedReason(policy, { 'access-control-request-method': 'GET' })).toContain('Origin');
      expect(refusedReason(policy, preflightHeaders({ 'access-control-request-method': '  ' }))).toContain(
        'Access-Control-Request-Method',
      );
    });
  });

  describe('requested headers', () => {
    it('accepts default headers in any case, spacing and order', () => {
      const answer = accepted(
        new CorsPolicy(listed),
        preflightHeaders({ 'access-control-request-headers': 'X-Request-ID ,Content-Type,,AUTHORIZATION' }),
      );
      expect(answer.statusCode).toBe(204);
    });

    it('refuses a header outside the default list and names it', () => {
      const reason = refusedReason(
        new CorsPolicy(listed),
        preflightHeaders({ 'access-control-request-headers': 'content-type, x-secret, x-other' }),
      );
      expect(reason).toContain('x-secret, x-other');
    });

    it('refuses a header outside the configured list, matching names case-insensitively', () => {
      const policy = new CorsPolicy({ allowOrigins: [APP], allowHeaders: ['X-Tenant'] });
      expect(
        accepted(policy, preflightHeaders({ 'access-control-request-headers': 'x-TENANT' })).statusCode,
      ).toBe(204);
      expect(
        refusedReason(policy, preflightHeaders({ 'access-control-request-headers': 'authorization' })),
      ).toContain('authorization');
    });

    it('accepts a request asking for no headers, even with an empty configured list', () => {
      const policy = new CorsPolicy({ allowOrigins: [APP], allowHeaders: [] });
      const answer = accepted(policy, preflightHeaders());
      expect(answer.headers).not.toHaveProperty('access-control-allow-headers');
      expect(policy.preflight(preflightHeaders({ 'access-control-request-headers': 'x-a' }))).toMatchObject({
        refused: true,
      });
    });

    it('with * allows any header and echoes the requested names', () => {
      const policy = new CorsPolicy({ allowOrigins: [APP], allowHeaders: ['*'] });
      const answer = accepted(
        policy,
        preflightHeaders({ 'access-control-request-headers': 'Authorization, X-Any' }),
      );
      expect(answer.headers['access-control-allow-headers']).toBe('authorization, x-any');
      expect(accepted(policy, preflightHeaders()).headers).not.toHaveProperty('access-control-allow-headers');
    });

    it('takes * literally when credentials are allowed', () => {
      const policy = new CorsPolicy({ allowOrigins: [APP], allowHeaders: ['*'], allowCredentials: true });
      expect(policy.preflight(preflightHeaders({ 'access-control-request-headers': 'x-any' }))).toMatchObject(
        {
          refused: true,
        },
      );
    });
  });
});

describe('CorsPolicy.responseHeaders', () => {
  it('is empty when the API has no CORS settings', () => {
    expect(new CorsPolicy(undefined).responseHeaders({ origin: APP })).toEqual({});
  });

  it('gives the allowed origin, the exposed headers and vary', () => {
    expect(new CorsPolicy(listed).responseHeaders({ origin: APP })).toEqual({
      'access-control-allow-origin': APP,
      'access-control-expose-headers':
        'x-request-id, ratelimit, ratelimit-policy, retry-after, deprecation, sunset, link',
      vary: 'origin',
    });
  });

  it('exposes the configured headers before the platform ones, without repeating any', () => {
    const policy = new CorsPolicy({ allowOrigins: [APP], exposeHeaders: ['ETag', 'X-Request-Id'] });
    expect(policy.responseHeaders({ origin: APP })['access-control-expose-headers']).toBe(
      'ETag, X-Request-Id, ratelimit, ratelimit-policy, retry-after, deprecation, sunset, link',
    );
  });

  it('allows credentials when configured', () => {
    const policy = new CorsPolicy({ allowOrigins: [APP], allowCredentials: true });
    expect(policy.responseHeaders({ Origin: APP })).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
    });
  });

  it('answers * under the * origin', () => {
    expect(new CorsPolicy({ allowOrigins: ['*'] }).responseHeaders({ origin: LOCAL })).toMatchObject({
      'access-control-allow-origin': '*',
    });
  });

  it('reads Origin case-insensitively', () => {
    expect(new CorsPolicy(listed).responseHeaders({ ORIGIN: LOCAL })['access-control-allow-origin']).toBe(
      LOCAL,
    );
  });

  it('gives only vary: origin when there is no Origin or it is not allowed', () => {
    const policy = new CorsPolicy(listed);
    expect(policy.responseHeaders({})).toEqual({ vary: 'origin' });
    expect(policy.responseHeaders({ origin: undefined })).toEqual({ vary: 'origin' });
    expect(policy.responseHeaders({ origin: 'https://evil.example' })).toEqual({ vary: 'origin' });
    expect(policy.responseHeaders({ origin: 'null' })).toEqual({ vary: 'origin' });
    expect(new CorsPolicy({ allowOrigins: ['*'] }).responseHeaders({ origin: 'null' })).toEqual({
      vary: 'origin',
    });
  });
});

describe('CorsPolicy properties', () => {
  /** Every spelling under which the listed origins may legitimately match. */
  const matchingForms = new Set([APP, 'https://app.example.com:443', LOCAL]);
  const policies = [
    new CorsPolicy(listed),
    new CorsPolicy({ ...listed, allowCredentials: true }),
    new CorsPolicy({ allowOrigins: ['*', APP], allowCredentials: true }),
  ];
  const wildcard = new CorsPolicy({ allowOrigins: ['*'] });

  const nearMisses = fc
    .tuple(
      fc.constantFrom('http', 'https', 'HTTPS', 'ftp', ''),
      fc.constantFrom(
        'app.example.com',
        'APP.example.com',
        'localhost',
        'evil.com',
        'app.example.com.evil.com',
      ),
      fc.constantFrom('', ':443', ':3000', ':80', ':8443', ':99999'),
      fc.constantFrom('', '/', '/x', '?', ' '),
    )
    .map(([scheme, host, port, tail]) => `${scheme}://${host}${port}${tail}`);
  const origin = fc.oneof(
    fc.constantFrom(APP, LOCAL, 'null', ''),
    nearMisses,
    fc.webUrl(),
    fc.string(),
    fc.constant(undefined),
  );
  const method = fc.oneof(fc.constantFrom('GET', 'post', 'PATCH', 'OPTIONS', 'TRACE', ''), fc.string());
  const requestHeaders = fc.oneof(
    fc.constant(undefined),
    fc
      .array(fc.oneof(fc.constantFrom('Content-Type', 'authorization', 'x-other'), fc.string()))
      .map((names) => names.join(',')),
  );
  const request = fc.record({
    origin,
    'access-control-request-method': fc.option(method, { nil: undefined }),
    'access-control-request-headers': requestHeaders,
  });

  it('preflight never throws and only allows listed origins, echoing them exactly', () => {
    fc.assert(
      fc.property(request, (headers) => {
        for (const policy of policies) {
          const answer = policy.preflight(headers);
          expect(answer).toBeDefined();
          if (answer && !('refused' in answer)) {
            expect(matchingForms).toContain(headers.origin?.toLowerCase());
            expect(answer.headers['access-control-allow-origin']).toBe(headers.origin);
          }
        }
      }),
    );
  });

  it('responseHeaders only allows listed origins', () => {
    fc.assert(
      fc.property(origin, (value) => {
        for (const policy of policies) {
          const allowOrigin = policy.responseHeaders({ origin: value })['access-control-allow-origin'];
          if (allowOrigin !== undefined) {
            expect(matchingForms).toContain(value?.toLowerCase());
            expect(allowOrigin).toBe(value);
          }
        }
      }),
    );
  });

  it('under *, preflight never throws and only ever answers *', () => {
    fc.assert(
      fc.property(request, (headers) => {
        const answer = wildcard.preflight(headers);
        if (answer && !('refused' in answer)) expect(answer.headers['access-control-allow-origin']).toBe('*');
        if (headers.origin === 'null') expect(answer).toMatchObject({ refused: true });
      }),
    );
  });
});
