import { describe, expect, it } from 'vitest';
import { checkSignUp, type SignUpValues, signUpBody } from './sign-up-input.ts';

const valid: SignUpValues = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  company: '',
  username: 'ada.l',
  password: 'correct horse battery',
};

describe('checkSignUp', () => {
  it('accepts what the platform accepts', () => {
    expect(checkSignUp(valid)).toEqual({});
  });

  it('says what is wrong with each field', () => {
    const errors = checkSignUp({ name: ' ', email: 'ada', company: '', username: 'Ada', password: 'short' });
    expect(Object.keys(errors).sort()).toEqual(['email', 'name', 'password', 'username']);
    expect(errors.password).toBe('Use at least 12 characters.');
  });

  it('refuses usernames the pattern refuses', () => {
    expect(checkSignUp({ ...valid, username: 'ab' }).username).toBeDefined();
    expect(checkSignUp({ ...valid, username: '.abc' }).username).toBeDefined();
    expect(checkSignUp({ ...valid, username: 'a'.repeat(65) }).username).toBeDefined();
    expect(checkSignUp({ ...valid, username: 'a_b-c.d' }).username).toBeUndefined();
  });

  it('refuses a password that contains the username, whatever its case', () => {
    expect(checkSignUp({ ...valid, username: 'ada.l', password: 'my ADA.L password' }).password).toBe(
      'The password must not contain the username.',
    );
  });
});

describe('signUpBody', () => {
  it('trims, and leaves out an empty company', () => {
    expect(signUpBody({ ...valid, name: ' Ada ', company: '  ' })).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
      username: 'ada.l',
      password: 'correct horse battery',
    });
    expect(signUpBody({ ...valid, company: ' ACME ' }).company).toBe('ACME');
  });
});
