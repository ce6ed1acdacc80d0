import { readFileSync } from 'node:fs';

/** The Petstore OpenAPI 3.1 example, as the integration tests import it. */
export const petstoreText = (): string =>
  readFileSync(new URL('../../../../test/fixtures/petstore-3.1.json', import.meta.url), 'utf8');
