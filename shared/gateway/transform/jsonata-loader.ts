import { createRequire as requireFrom } from 'node:module';

type Jsonata = typeof import('jsonata');

let loaded: Jsonata | undefined;

/**
 * JSONata, loaded on first use. A static import would make every gateway cold start evaluate it,
 * whether or not an API has a mapping; a bundler inlines this `require` lazily, and the fallback serves
 * an unbundled ESM runtime.
 */
export function jsonata(): Jsonata {
  loaded ??= (
    typeof require === 'function' ? require('jsonata') : requireFrom(import.meta.url)('jsonata')
  ) as Jsonata;
  return loaded;
}
