import { describe, expect, it } from 'vitest';
import { dnsResolver } from './dns-resolver.ts';

// Literal addresses only: getaddrinfo answers them without asking any name server.
describe('dnsResolver', () => {
  it('answers every address as text', async () => {
    expect(await dnsResolver().resolve('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(await dnsResolver().resolve('::1')).toEqual(['::1']);
  });
});
