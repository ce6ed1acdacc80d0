import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RouteTable } from './route-table.ts';

const table = new RouteTable([
  { method: 'ANY', path: '/{rest+}' },
  { method: 'GET', path: '/orders/{id}' },
  { method: 'GET', path: '/orders/latest' },
  { method: 'ANY', path: '/orders/{id}' },
  { method: 'POST', path: '/orders' },
  { method: 'GET', path: '/files/{key+}' },
]);

describe('RouteTable', () => {
  it('prefers literals over parameters over greedy parameters, then an exact method over ANY', () => {
    expect(table.match('GET', '/orders/latest')?.route.path).toBe('/orders/latest');
    expect(table.match('GET', '/orders/42')).toMatchObject({ index: 1, params: { id: '42' } });
    expect(table.match('DELETE', '/orders/42')).toMatchObject({ index: 3, params: { id: '42' } });
    expect(table.match('POST', '/orders')?.index).toBe(4);
    expect(table.match('GET', '/orders')?.route.path).toBe('/{rest+}');
  });

  it('decodes parameters and keeps the slashes of a greedy one', () => {
    expect(table.match('GET', '/orders/a%20b')?.params).toEqual({ id: 'a b' });
    expect(table.match('GET', '/files/a/b/c.txt')?.params).toEqual({ key: 'a/b/c.txt' });
  });

  it('matches nothing for malformed escapes, empty parameters or extra segments', () => {
    const strict = new RouteTable([{ method: 'GET', path: '/orders/{id}' }]);
    expect(strict.match('GET', '/orders/%E0%A4%A')).toBeUndefined();
    expect(strict.match('GET', '/orders/')).toBeUndefined();
    expect(strict.match('GET', '/orders/1/2')).toBeUndefined();
    expect(strict.match('POST', '/orders/1')).toBeUndefined();
    expect(strict.hasPath('/orders/1')).toBe(true);
    expect(strict.hasPath('/users/1')).toBe(false);
  });

  it('never throws on any method and path', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ maxLength: 200 }), (method, path) => {
        table.match(method, path);
        table.hasPath(path);
      }),
    );
  });

  it('keeps a parameter named like an Object prototype member as data', () => {
    const odd = new RouteTable([{ method: 'GET', path: '/{__proto__}' }]);
    expect(Object.entries(odd.match('GET', '/x')?.params ?? {})).toEqual([['__proto__', 'x']]);
  });
});
