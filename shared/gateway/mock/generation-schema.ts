/**
 * The copy of a JSON Schema that samples are generated from: it keeps generation bounded in time and
 * memory and steers json-schema-faker around its known misses. The library builds each string, each
 * `{n}` repetition of a pattern and each depth-limit stub array in one go, and loops for ever on a
 * `$ref` cycle through `allOf`/`oneOf`; such schemas are refused here, before generation.
 *
 * The copy only ever narrows what the original allows, so whatever it yields the original accepts too:
 * `maxLength` and `maxItems` are lowered (never below the schema's own minimum), and a number range
 * the library would miss gets its missing bound. Keywords are adjusted wherever they appear (also
 * inside `const` or `examples`): a sample built from a data value altered that way fails validation
 * against the original and is discarded, which costs that sample only. Pure: no I/O.
 */

/** Generous for any real schema; well below what makes generation slow. */
export const GENERATION_LIMITS = {
  /** `maxLength` is lowered to this (or to `minLength`, when larger). */
  stringLength: 1000,
  /** `maxItems` is lowered to this (or to `minItems`, when larger). */
  arrayItems: 10,
  /** A schema demanding longer strings (`minLength`, or a pattern's repetitions) is refused. */
  maxMinLength: 10_000,
  /** A schema demanding more items, contained items or properties than this is refused. */
  maxMinCount: 1000,
} as const;

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Thrown inside the copy to give up on the whole schema. */
class Unbounded extends Error {}

/** The copy to generate from, or undefined when generation from this schema could not be bounded. */
export function schemaToGenerateFrom(schema: JsonObject): JsonObject | undefined {
  try {
    const copy = copyWithCaps(schema, new Map(), new Set()) as JsonObject;
    return hasUnguardedRecursion(copy) ? undefined : copy;
  } catch (error) {
    if (error instanceof Unbounded) return undefined;
    throw error;
  }
}

/** Copies plain objects and arrays (keeping shared parts shared); refuses cyclic object graphs. */
function copyWithCaps(value: unknown, copies: Map<object, unknown>, ancestors: Set<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = copies.get(value);
  if (done !== undefined) return done;
  if (ancestors.has(value)) throw new Unbounded('cyclic schema object');
  ancestors.add(value);
  let copy: unknown;
  if (Array.isArray(value)) {
    copy = value.map((item) => copyWithCaps(item, copies, ancestors));
  } else {
    const node: JsonObject = {};
    for (const [key, child] of Object.entries(value)) node[key] = copyWithCaps(child, copies, ancestors);
    applyCaps(node);
    completeNumberRange(node);
    copy = node;
  }
  ancestors.delete(value);
  copies.set(value, copy);
  return copy;
}

const numberAt = (node: JsonObject, key: string): number | undefined =>
  typeof node[key] === 'number' ? node[key] : undefined;

function applyCaps(node: JsonObject): void {
  const limits = GENERATION_LIMITS;
  const minLength = numberAt(node, 'minLength') ?? 0;
  if (minLength > limits.maxMinLength) throw new Unbounded('minLength');
  for (const key of ['minItems', 'minContains', 'minProperties']) {
    if ((numberAt(node, key) ?? 0) > limits.maxMinCount) throw new Unbounded(key);
  }
  if (typeof node.pattern === 'string' && patternLengthBound(node.pattern) > limits.maxMinLength) {
    throw new Unbounded('pattern');
  }
  const maxLength = numberAt(node, 'maxLength');
  if (maxLength !== undefined && maxLength > limits.stringLength) {
    node.maxLength = Math.max(limits.stringLength, Math.ceil(minLength));
  }
  const maxItems = numberAt(node, 'maxItems');
  if (maxItems !== undefined && maxItems > limits.arrayItems) {
    node.maxItems = Math.max(limits.arrayItems, Math.ceil(numberAt(node, 'minItems') ?? 0));
  }
}

/** Where a schema leaves a side of a number range open, json-schema-faker draws from this far out. */
const DEFAULT_NUMBER_BOUND = 1000;

/** The library draws an open side from ±1000 even when the given bound lies beyond it: `minimum: 1900`. */
function completeNumberRange(node: JsonObject): void {
  const lowers = [numberAt(node, 'minimum'), numberAt(node, 'exclusiveMinimum')].filter(
    (n) => n !== undefined,
  );
  const uppers = [numberAt(node, 'maximum'), numberAt(node, 'exclusiveMaximum')].filter(
    (n) => n !== undefined,
  );
  const lower = lowers.length > 0 ? Math.max(...lowers) : undefined;
  const upper = uppers.length > 0 ? Math.min(...uppers) : undefined;
  if (lower !== undefined && upper === undefined && lower >= DEFAULT_NUMBER_BOUND) {
    node.maximum = lower + DEFAULT_NUMBER_BOUND;
  }
  if (upper !== undefined && lower === undefined && upper <= -DEFAULT_NUMBER_BOUND) {
    node.minimum = upper - DEFAULT_NUMBER_BOUND;
  }
}

/**
 * The longest string json-schema-faker's pattern generator can make from `pattern`: it repeats a
 * quantified atom between its minimum and the smaller of its maximum and minimum + 5 times (`*` and
 * `+` at most 5). Parses like that generator does; overestimates where unsure.
 */
export function patternLengthBound(pattern: string): number {
  return parseAlternation(pattern, 0).length;
}

function parseAlternation(pattern: string, start: number): { length: number; end: number } {
  let longest = 0;
  let current = 0;
  let pos = start;
  while (pos < pattern.length && pattern[pos] !== ')') {
    const ch = pattern[pos];
    if (ch === '|') {
      longest = Math.max(longest, current);
      current = 0;
      pos++;
      continue;
    }
    let atom = 1;
    if (ch === '(') {
      const inner = parseAlternation(pattern, skipGroupModifier(pattern, pos + 1));
      atom = inner.length;
      pos = inner.end + 1;
    } else if (ch === '[') {
      pos = endOfCharClass(pattern, pos + 1);
    } else {
      pos += ch === '\\' ? 2 : 1;
    }
    const quantifier = repetitions(pattern, pos);
    current += atom * quantifier.times;
    pos = quantifier.end;
  }
  return { length: Math.max(longest, current), end: pos };
}

function skipGroupModifier(pattern: string, pos: number): number {
  if (pattern[pos] !== '?') return pos;
  if (pattern[pos + 1] === ':' || pattern[pos + 1] === '=' || pattern[pos + 1] === '!') return pos + 2;
  const close = pattern.indexOf('>', pos);
  return close === -1 ? pattern.length : close + 1;
}

function endOfCharClass(pattern: string, pos: number): number {
  let at = pos;
  while (at < pattern.length && pattern[at] !== ']') at += pattern[at] === '\\' ? 2 : 1;
  return at + 1;
}

function repetitions(pattern: string, pos: number): { times: number; end: number } {
  const ch = pattern[pos];
  let times = 1;
  let end = pos;
  if (ch === '*' || ch === '+') {
    times = 5;
    end = pos + 1;
  } else if (ch === '?') {
    end = pos + 1;
  } else if (ch === '{') {
    const brace = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(pos));
    if (brace) {
      const min = Number(brace[1]);
      const max = brace[2] === undefined ? min : brace[2] === '' ? min + 5 : Number(brace[2]);
      times = Math.min(max, min + 5);
      end = pos + brace[0].length;
    }
  }
  if (end > pos && (pattern[end] === '?' || pattern[end] === '+')) end++;
  return { times, end };
}

/**
 * Subschemas json-schema-faker generates without going one level deeper, so its depth limit does not
 * stop a cycle through them. `anyOf` and `$ref` do count a level, but a cycle through them alone
 * describes no finite value, so it is refused too.
 */
const SAME_LEVEL_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else'];

/**
 * True when a schema reaches itself through `$ref`s and the keywords above only, without passing a
 * property or an item on the way (`{ allOf: [{ $ref: '#' }] }`). References resolve against the root
 * and, since json-schema-faker scopes `$defs` per subschema, `#/$defs/name` stands for every
 * `$defs/name` in the document.
 */
function hasUnguardedRecursion(root: JsonObject): boolean {
  const nodes = collectObjects(root);
  const byId = new Map<string, JsonObject[]>();
  const defsByName = new Map<string, JsonObject[]>();
  const add = (map: Map<string, JsonObject[]>, key: string, node: JsonObject) =>
    map.set(key, [...(map.get(key) ?? []), node]);
  for (const node of nodes) {
    if (typeof node.$id === 'string') add(byId, node.$id, node);
    for (const container of ['$defs', 'definitions']) {
      const defs = node[container];
      if (!isObject(defs)) continue;
      for (const [name, def] of Object.entries(defs)) if (isObject(def)) add(defsByName, name, def);
    }
  }

  const targets = (ref: string): JsonObject[] => {
    if (ref === '#') return [root];
    if (!ref.startsWith('#/')) return byId.get(ref) ?? [];
    const found = resolvePointer(root, ref.slice(2));
    const named = /^#\/(?:\$defs|definitions)\/([^/]+)$/.exec(ref);
    const scoped = named ? (defsByName.get(decodePointerSegment(named[1]!)) ?? []) : [];
    return isObject(found) ? [found, ...scoped] : scoped;
  };
  const edges = (node: JsonObject): JsonObject[] => {
    const next: JsonObject[] = [];
    for (const keyword of SAME_LEVEL_KEYWORDS) {
      const child = node[keyword];
      if (isObject(child)) next.push(child);
      else if (Array.isArray(child)) next.push(...child.filter(isObject));
    }
    if (typeof node.$ref === 'string') next.push(...targets(node.$ref));
    return next;
  };

  const state = new Map<JsonObject, 'visiting' | 'done'>();
  const cyclesFrom = (node: JsonObject): boolean => {
    const seen = state.get(node);
    if (seen) return seen === 'visiting';
    state.set(node, 'visiting');
    if (edges(node).some(cyclesFrom)) return true;
    state.set(node, 'done');
    return false;
  };
  return nodes.some(cyclesFrom);
}

function collectObjects(root: JsonObject): JsonObject[] {
  const found = new Set<JsonObject>();
  const visit = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (isObject(value) && !found.has(value)) {
      found.add(value);
      Object.values(value).forEach(visit);
    }
  };
  visit(root);
  return [...found];
}

function decodePointerSegment(segment: string): string {
  let text = segment;
  try {
    text = decodeURIComponent(segment);
  } catch {
    // A malformed escape is taken literally.
  }
  return text.replace(/~1/g, '/').replace(/~0/g, '~');
}

function resolvePointer(root: JsonObject, pointer: string): unknown {
  let current: unknown = root;
  for (const segment of pointer.split('/')) {
    if (typeof current !== 'object' || current === null) return undefined;
    const key = decodePointerSegment(segment);
    current = Object.hasOwn(current, key) ? (current as JsonObject)[key] : undefined;
  }
  return current;
}
