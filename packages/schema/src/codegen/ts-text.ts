/**
 * Spelling values and names as TypeScript source: string literals, `sql` template bodies and
 * identifiers derived from database names.
 */

/**
 * A single-quoted TypeScript string literal for any text.
 *
 * @example
 * tsString("it's") // => "'it\\'s'"
 */
export function tsString(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x2028 || code === 0x2029 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/**
 * An `sql` tagged template holding SQL text verbatim: backslashes, backticks and `${` escaped.
 *
 * @example
 * sqlTemplate('lower(`x`)') // => 'sql`lower(\\`x\\`)`'
 */
export function sqlTemplate(text: string): string {
  return `sql\`${templateText(text)}\``;
}

/** Text escaped for the inside of a template literal. */
export function templateText(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('${', '\\${');
}

const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements',
  'interface', 'package', 'private', 'protected', 'public', 'await', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
]);

/**
 * A camelCased identifier for a database name: words split on anything but letters and digits,
 * `_`-prefixed when it would start with a digit, `fallback` when nothing is left.
 *
 * @example
 * camelIdentifier('user_profiles') // => 'userProfiles'
 * camelIdentifier('Users; --') // => 'users'
 */
export function camelIdentifier(name: string, fallback: string): string {
  const words = name.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.length === 0) return fallback;
  const [first, ...rest] = words as [string, ...string[]];
  const head = first === first.toUpperCase() ? first.toLowerCase() : first[0]!.toLowerCase() + first.slice(1);
  const id = head + rest.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^\p{N}/u.test(id) ? `_${id}` : id;
}

/** Hands out identifiers that are unique within one scope (a file, a table's columns, the whole output). */
export class NameScope {
  readonly #taken = new Set<string>();

  constructor(reserved: Iterable<string> = [], private readonly avoidKeywords = true) {
    for (const r of reserved) this.#taken.add(r);
  }

  /** `base`, or `base2`, `base3`… when taken (and `base_` for a reserved word). */
  claim(base: string): string {
    let candidate = this.avoidKeywords && RESERVED.has(base) ? `${base}_` : base;
    for (let n = 2; this.#taken.has(candidate); n++) candidate = `${base}${n}`;
    this.#taken.add(candidate);
    return candidate;
  }
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function tsKey(key: string): string {
  return /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(key) ? key : tsString(key);
}
