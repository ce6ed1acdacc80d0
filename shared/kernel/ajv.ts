import { createRequire as requireFrom } from 'node:module';
import type { Ajv, Options } from 'ajv';

type AjvModule = typeof import('ajv');
type FormatsModule = typeof import('ajv-formats');

let loaded: { ajv: AjvModule; formats: FormatsModule } | undefined;

/**
 * Ajv and ajv-formats, loaded when the first validator is made rather than when a function starts:
 * evaluating them was most of the gateway's module init, and most cold starts compile no schema. In a
 * bundle these `require`s are the bundler's lazily evaluated modules; from source, Node's.
 */
function modules() {
  loaded ??=
    typeof require === 'function'
      ? { ajv: require('ajv') as AjvModule, formats: require('ajv-formats') as FormatsModule }
      : {
          ajv: requireFrom(import.meta.url)('ajv') as AjvModule,
          formats: requireFrom(import.meta.url)('ajv-formats') as FormatsModule,
        };
  return loaded;
}

/** A new Ajv instance with the standard formats (`date-time`, `uri`, `email`…) unless told otherwise. */
export function newAjv(options: Options, { formats = true } = {}): Ajv {
  const { ajv, formats: addFormats } = modules();
  const instance = new ajv.Ajv(options);
  if (formats) addFormats.default(instance);
  return instance;
}
