import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { fieldMessage, fieldOf, formErrorsOf } from './field-errors.ts';

const invalid = (errors: { pointer?: string; path?: string; message: string }[]) =>
  new ApiError({ type: 'urn:portico:problem:validation-failed', title: 'Not valid', status: 400, errors });

describe('fieldOf', () => {
  it('reads the top-level member of a pointer or a path', () => {
    expect(fieldOf({ pointer: '/name', message: 'x' })).toBe('name');
    expect(fieldOf({ pointer: '/redirectUris/0', message: 'x' })).toBe('redirectUris');
    expect(fieldOf({ pointer: '/a~1b', message: 'x' })).toBe('a/b');
    expect(fieldOf({ pointer: '/', message: 'x' })).toBeUndefined();
    expect(fieldOf({ path: 'limit', message: 'x' })).toBe('limit');
    expect(fieldOf({ message: 'x' })).toBeUndefined();
  });
});

describe('formErrorsOf', () => {
  it('sorts complaints to the form’s fields and keeps the rest', () => {
    const error = invalid([
      { pointer: '/name', message: 'is required' },
      { pointer: '/name', message: 'must be short' },
      { pointer: '/extra', message: 'is not allowed' },
      { pointer: '/', message: 'must be object' },
    ]);
    expect(formErrorsOf(error, ['name', 'description'])).toEqual({
      fields: { name: 'is required' },
      others: [
        { pointer: '/extra', message: 'is not allowed' },
        { pointer: '/', message: 'must be object' },
      ],
    });
  });

  it('has nothing to say about other failures', () => {
    expect(formErrorsOf(new Error('boom'), ['name'])).toEqual({ fields: {}, others: [] });
  });
});

describe('fieldMessage', () => {
  it('names the field in the platform’s short complaints', () => {
    expect(fieldMessage('Name', 'is required')).toBe('Name is required.');
    expect(fieldMessage('URL', 'Use https.')).toBe('Use https.');
    expect(fieldMessage('Password', 'Must be longer')).toBe('Must be longer.');
  });
});
