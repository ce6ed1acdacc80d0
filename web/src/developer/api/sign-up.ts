import { apiFetch } from '../../api/client.ts';

export interface SignUpInput {
  name: string;
  email: string;
  company?: string;
  username: string;
  password: string;
}

/** A new developer account: `pending` ones wait for an operator's approval before their apps work. */
export interface SignUpResult {
  username: string;
  developerId: string;
  status: 'active' | 'pending';
}

export const signUp = (input: SignUpInput): Promise<SignUpResult> =>
  apiFetch<SignUpResult>('/v1/signup', { method: 'POST', json: input, anonymous: true });
