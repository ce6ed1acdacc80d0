import { describe, expect, it } from 'vitest';
import { fillPath, pathParameterNames, requestUrl } from './request-url.ts';

describe('request URLs', () => {
  it('names the parameters of a template', () => {
    expect(pathParameterNames('/orders/{orderId}/items/{itemId}')).toEqual(['orderId', 'itemId']);
  });

  it('fills a template, encoding each segment and keeping slashes of greedy values', () => {
    expect(fillPath('/orders/{orderId}', { orderId: 'o 1?' })).toBe('/orders/o%201%3F');
    expect(fillPath('/files/{key}', { key: 'a/b c.txt' })).toBe('/files/a/b%20c.txt');
    expect(fillPath('/orders/{orderId}', {})).toBe('/orders/{orderId}');
  });

  it('joins the base, the path and the query, without empty values', () => {
    expect(
      requestUrl('http://127.0.0.1:3000/apis/echo/', '/hello', {}, [
        ['name', 'portico'],
        ['empty', ''],
      ]),
    ).toBe('http://127.0.0.1:3000/apis/echo/hello?name=portico');
    expect(requestUrl('https://x.example/apis/a', '/', {})).toBe('https://x.example/apis/a/');
  });
});
