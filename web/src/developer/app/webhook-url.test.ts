import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from './webhook-url.ts';

describe('webhookUrlProblem', () => {
  it('accepts https, and http to loopback', () => {
    expect(webhookUrlProblem('https://example.com/hooks')).toBeUndefined();
    expect(webhookUrlProblem(' https://example.com/hooks?x=1 ')).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:8080/hooks')).toBeUndefined();
    expect(webhookUrlProblem('http://localhost/hooks')).toBeUndefined();
  });

  it('says why a URL is refused', () => {
    expect(webhookUrlProblem('')).toMatch(/Enter the URL/);
    expect(webhookUrlProblem('example.com/hooks')).toMatch(/full URL/);
    expect(webhookUrlProblem('http://example.com/hooks')).toBe('Use an https:// URL.');
    expect(webhookUrlProblem('ftp://example.com/hooks')).toBe('Use an https:// URL.');
    expect(webhookUrlProblem('https://example.com/hooks#top')).toBe('Leave out the #fragment.');
    expect(webhookUrlProblem(`https://example.com/${'a'.repeat(2000)}`)).toMatch(/2,000/);
  });
});
