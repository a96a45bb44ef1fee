/**
 * Writes a value as canonical JSON: object keys sorted, two-space indentation, `undefined`
 * fields left out, a final newline. Two equal snapshots give byte-identical text. The output is
 * exactly `JSON.stringify(value with sorted keys, null, 2)`.
 *
 * @example
 * canonicalJson({ b: 1, a: [2, 1] }) // => '{\n  "a": [\n    2,\n    1\n  ],\n  "b": 1\n}\n'
 */
export function canonicalJson(value: unknown): string {
  const r = look(value, 0);
  const text = typeof r === 'string' || r === undefined ? r : JSON.stringify(r === SAME ? value : r.value, null, 2);
  return `${text ?? 'undefined'}\n`;
}

// How it is fast: `JSON.stringify` is native and several times quicker than building the text
// in JavaScript (a snapshot of 1,000 tables is 4 MB, written on every `generate`), but it keeps
// the keys in the order they were added. The serializer builds its objects in key order, so most
// of a snapshot can go to JSON.stringify as it is (SAME); an object out of order whose values can
// go as they are is replaced by a copy with its keys in order (a StandIn); only what JSON.stringify
// cannot write canonically (`toJSON`, class instances, integer-like keys out of order) is written
// here, piece by piece.

/** The value can go to JSON.stringify as it is. */
const SAME = 0;

/** A copy that JSON.stringify writes canonically, in place of a value that it would not. */
class StandIn {
  constructor(readonly value: unknown) {}
}

type Look = typeof SAME | StandIn | string | undefined;

const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

/**
 * How `value` is written `depth` levels deep: SAME, a StandIn, its text, or undefined where JSON
 * leaves a value out. Each value is looked at once. The depth is a number, and indentation text
 * is made only for text: most of a snapshot never needs it.
 */
function look(value: unknown, depth: number): Look {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint': // JSON.stringify throws on it, as it should
      return SAME;
    case 'object':
      break;
    default:
      return undefined; // undefined, functions, symbols
  }
  if (value === null) return SAME;
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') {
    const v = withToJson.toJSON();
    const l = look(v, depth);
    return l === SAME ? new StandIn(v) : l;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  const inner = depth + 1;
  if (Array.isArray(value)) {
    // Most values are in order all the way down: nothing is kept for them (no array of looks).
    let looks: Look[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const l = look(value[i], inner);
      // An item JSON leaves out is written null, by JSON.stringify as here.
      if (looks === undefined && l !== SAME && l !== undefined) looks = new Array<Look>(i).fill(SAME);
      looks?.push(l);
    }
    if (looks === undefined && proto === Array.prototype) return SAME;
    if (looks?.some((l) => typeof l === 'string')) {
      return `[\n${value.map((v, i) => `${pad(inner)}${text(v, looks[i], inner) ?? 'null'}`).join(',\n')}\n${pad(depth)}]`;
    }
    return new StandIn(value.map((v, i) => standInValue(v, looks?.[i])));
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let looks: Look[] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const l = look(record[keys[i]!], inner);
    // A field JSON leaves out is left out by JSON.stringify too.
    if (looks === undefined && l !== SAME && l !== undefined) looks = new Array<Look>(i).fill(SAME);
    looks?.push(l);
  }
  const plain = proto === Object.prototype || proto === null;
  let inOrder = plain;
  for (let i = 1; inOrder && i < keys.length; i++) inOrder = keys[i - 1]! < keys[i]!;
  if (inOrder && looks === undefined) return SAME;
  const order = keys.map((key, i) => ({ key, i })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // JavaScript puts integer-like keys first whatever the order they were added in.
  if (plain && !looks?.some((l) => typeof l === 'string') && !keys.some((k) => INDEX_KEY.test(k))) {
    const copy: Record<string, unknown> = {};
    for (const { key, i } of order) {
      const v = standInValue(record[key], looks?.[i]);
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      // Assigning `__proto__` would set the prototype instead of adding the key.
      if (key === '__proto__') Object.defineProperty(copy, key, { value: v, enumerable: true, writable: true, configurable: true });
      else copy[key] = v;
    }
    return new StandIn(copy);
  }
  const parts: string[] = [];
  for (const { key, i } of order) {
    const t = text(record[key], looks ? looks[i] : SAME, inner);
    if (t !== undefined) parts.push(`${pad(inner)}${JSON.stringify(key)}: ${t}`);
  }
  return parts.length === 0 ? '{}' : `{\n${parts.join(',\n')}\n${pad(depth)}}`;
}

/** What JSON.stringify should be given for a value looked at as `l` (not text). */
function standInValue(value: unknown, l: Look): unknown {
  return l instanceof StandIn ? l.value : value;
}

/** The text of a value looked at as `l`, `depth` levels deep. */
function text(value: unknown, l: Look, depth: number): string | undefined {
  if (typeof l === 'string' || l === undefined) return l;
  const json = JSON.stringify(standInValue(value, l), null, 2) as string | undefined;
  // JSON escapes every newline inside a string, so each one here starts a line of layout.
  return json === undefined || depth === 0 ? json : json.replaceAll('\n', `\n${pad(depth)}`);
}

const pad = (depth: number): string => '  '.repeat(depth);
