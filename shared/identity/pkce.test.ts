import { describe, expect, it } from 'vitest';
import { isValidCodeVerifier, s256Challenge, verifyS256 } from './pkce.ts';

describe('PKCE S256', () => {
  it('matches the RFC 7636 appendix B example', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(s256Challenge(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(verifyS256(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
  });

  it('refuses a different verifier, malformed verifiers and malformed challenges', () => {
    const challenge = s256Challenge('a'.repeat(43));
    expect(verifyS256('b'.repeat(43), challenge)).toBe(false);
    expect(verifyS256('a'.repeat(42), s256Challenge('a'.repeat(42)))).toBe(false);
    expect(verifyS256('a'.repeat(43), 'short')).toBe(false);
    expect(isValidCodeVerifier(`${'a'.repeat(43)} `)).toBe(false);
    expect(isValidCodeVerifier('a'.repeat(129))).toBe(false);
  });
});
