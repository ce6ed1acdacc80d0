import type { SignUpInput } from '../api/sign-up.ts';

/** What the sign-up form holds, as typed. */
export interface SignUpValues {
  name: string;
  email: string;
  company: string;
  username: string;
  password: string;
}

export const SIGN_UP_FIELDS = ['name', 'email', 'company', 'username', 'password'] as const;

/** The platform's rules (shared/portal/sign-up.ts): sign-in folds usernames to lower case. */
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
export const MIN_PASSWORD_LENGTH = 12;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Complaints the platform would make, found before asking it: one per field, as sentences. */
export function checkSignUp(values: SignUpValues): Partial<Record<keyof SignUpValues, string>> {
  const errors: Partial<Record<keyof SignUpValues, string>> = {};
  if (!values.name.trim()) errors.name = 'Enter your name.';
  else if (values.name.length > 100) errors.name = 'Your name may have at most 100 characters.';
  if (!EMAIL.test(values.email.trim())) errors.email = 'Enter an email address, like name@example.com.';
  if (values.company.length > 200) errors.company = 'The company may have at most 200 characters.';
  if (!USERNAME.test(values.username)) {
    errors.username =
      'Use 3 to 64 lower-case letters, digits, dots, hyphens or underscores, starting with a letter or digit.';
  }
  if (values.password.length < MIN_PASSWORD_LENGTH) {
    errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  } else if (values.password.length > 256) {
    errors.password = 'Use at most 256 characters.';
  } else if (values.username && values.password.toLowerCase().includes(values.username.toLowerCase())) {
    errors.password = 'The password must not contain the username.';
  }
  return errors;
}

/** The body of `POST /v1/signup`: trimmed, without an empty company. */
export function signUpBody(values: SignUpValues): SignUpInput {
  const company = values.company.trim();
  return {
    name: values.name.trim(),
    email: values.email.trim(),
    ...(company ? { company } : {}),
    username: values.username,
    password: values.password,
  };
}
