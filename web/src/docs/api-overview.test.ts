import { describe, expect, it } from 'vitest';
import { overviewOf } from './api-overview.ts';
import { plainText } from './markdown.ts';
import type { OpenApiDocument } from './openapi.ts';

const documentWith = (description: string): OpenApiDocument => ({
  openapi: '3.1.0',
  info: { title: 'orders', version: '2.1.0', description },
  servers: [{ url: 'https://api.portico.dev/apis/orders' }],
});

describe('the overview of an API', () => {
  it('moves the rate limits out of the description', () => {
    const overview = overviewOf(
      documentWith(
        'Orders of the shop.\n\nRate limits (token buckets; a call over one is answered `429`):\n\n- 100 calls per 60 s per app on this API (bursts of up to 20)\n\nErrors the platform itself answers are RFC 9457 problem details.',
      ),
    );
    expect(overview).toMatchObject({
      title: 'orders',
      version: '2.1.0',
      baseUrl: 'https://api.portico.dev/apis/orders',
    });
    expect(overview.description.map((block) => block.kind)).toEqual(['paragraph', 'paragraph']);
    expect(overview.rateLimits.map((block) => block.kind)).toEqual(['paragraph', 'list']);
    const limits = overview.rateLimits[1] as { items: Parameters<typeof plainText>[0][] };
    expect(plainText(limits.items[0]!)).toBe('100 calls per 60 s per app on this API (bursts of up to 20)');
  });

  it('has no rate limits when the description names none', () => {
    const overview = overviewOf(documentWith('Echoes calls.'));
    expect(overview.rateLimits).toEqual([]);
    expect(overview.description).toHaveLength(1);
  });
});
