import { describe, expect, it } from 'vitest';
import { validateApiDefinition } from '../api-definition.ts';
import { MAX_EXPRESSION_LENGTH } from './transform-rules.ts';

const definition = (more: Record<string, unknown>) => ({
  name: 'orders',
  upstreams: [{ url: 'https://orders.internal.example' }],
  timeoutMs: 3000,
  ...more,
});

const refusal = (body: unknown) => {
  try {
    validateApiDefinition(body);
  } catch (error) {
    return error as { code: string; details: { errors: { pointer: string; message: string }[] } };
  }
  throw new Error('accepted');
};

describe('transform rules on write', () => {
  it('accepts request and response mappings, an XML upstream and the envelope', () => {
    const api = validateApiDefinition(
      definition({
        responseTransform: { upstreamFormat: 'xml', envelope: true },
        routes: [
          {
            method: 'POST',
            path: '/orders',
            requestTransform: { expression: '{ "qty": quantity }' },
            responseTransform: { expression: '{ "id": order.id }' },
          },
        ],
      }),
    );
    expect(api.routes?.[0]?.responseTransform).toEqual({ expression: '{ "id": order.id }' });
  });

  it('refuses a broken expression with a pointer to it', () => {
    const error = refusal(
      definition({
        responseTransform: { expression: '$$$(' },
        routes: [
          { method: 'GET', path: '/a' },
          { method: 'GET', path: '/b' },
          { method: 'POST', path: '/c', requestTransform: { expression: '{ "a": }' } },
        ],
      }),
    );
    expect(error.code).toBe('validation-failed');
    expect(error.details.errors.map((e) => e.pointer)).toEqual([
      '/responseTransform/expression',
      '/routes/2/requestTransform/expression',
    ]);
    expect(error.details.errors[1]?.message).toMatch(/^is not a valid JSONata expression at position \d+/);
  });

  it('bounds the expression and knows only its own members', () => {
    const tooLong = refusal(
      definition({
        routes: [
          {
            method: 'GET',
            path: '/a',
            responseTransform: { expression: 'a'.repeat(MAX_EXPRESSION_LENGTH + 1) },
          },
        ],
      }),
    );
    expect(tooLong.details.errors[0]?.pointer).toBe('/routes/0/responseTransform/expression');
    expect(refusal(definition({ responseTransform: { upstreamFormat: 'yaml' } })).code).toBe(
      'validation-failed',
    );
    expect(refusal(definition({ responseTransform: { script: 'x' } })).code).toBe('validation-failed');
  });
});
