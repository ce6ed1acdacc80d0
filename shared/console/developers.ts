import { newId } from '../crypto/random.ts';
import { bodyValidator } from '../kernel/validation.ts';

/** A third-party developer (a person or company) who owns apps. */
export interface Developer {
  developerId: string;
  name: string;
  email: string;
  company?: string;
  /** `pending`: signed up in the portal, waiting for an operator's approval (its apps cannot authenticate). */
  status: 'active' | 'pending' | 'disabled';
  createdAt: string;
  updatedAt?: string;
}

export interface DeveloperInput {
  name?: string;
  email?: string;
  company?: string;
  status?: 'active' | 'pending' | 'disabled';
}

const properties = {
  name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
  email: { type: 'string', format: 'email', maxLength: 254 },
  company: { type: 'string', maxLength: 200 },
} as const;

export const validateCreateDeveloper = bodyValidator<
  Required<Pick<DeveloperInput, 'name' | 'email'>> & DeveloperInput
>({
  type: 'object',
  properties,
  required: ['name', 'email'],
  additionalProperties: false,
});

export const validateUpdateDeveloper = bodyValidator<DeveloperInput>({
  type: 'object',
  properties: { ...properties, status: { enum: ['active', 'pending', 'disabled'] } },
  minProperties: 1,
  additionalProperties: false,
});

export const newDeveloper = (
  input: { name: string; email: string; company?: string },
  now: Date,
): Developer => ({
  developerId: newId('dev'),
  name: input.name.trim(),
  email: input.email.toLowerCase(),
  ...(input.company !== undefined ? { company: input.company } : {}),
  status: 'active',
  createdAt: now.toISOString(),
});
