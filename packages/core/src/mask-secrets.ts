/** What a hidden secret is replaced with. */
export const SECRET_MASK = '****';

const SCHEME = /\b[a-z][a-z0-9+.-]*:\/\//gi;
/** Where a URL written in running text ends (a password may still hold a space: see below). */
const TOKEN_END = /[\s"<>`]/;
/**
 * `password=…`, `sslpassword=…`, `PGPASSWORD=…`, `db_password = …`: libpq key=value strings,
 * URL query parameters, environment-style assignments.
 */
const KEY_VALUE = /(^|[^a-z0-9_-])([a-z0-9_-]*password)(\s*=\s*)/gi;

/**
 * Hides every database password in a text: the one masker for everything Strata prints or
 * writes (terminal, `--json`, errors, backup headers, the studio).
 *
 * Handles `scheme://user:password@host` URLs, passwords holding unencoded `@ # / ? :` or spaces
 * (a URL that cannot be read unambiguously loses everything between `://` and its last `@`),
 * `?password=` / `&sslpassword=` query parameters, and libpq key=value strings
 * (`host=db password='it''s'`). Host, port, database and user stay readable when the URL is
 * well formed. Masking is idempotent.
 *
 * @example
 * maskSecrets('postgres://app:s3cret@db:5432/app')         // => 'postgres://app:****@db:5432/app'
 * maskSecrets('postgres://app:p@ss#word@db/app')           // => 'postgres://****@db/app'
 * maskSecrets('postgres://db/app?user=app&password=s3cret') // => 'postgres://db/app?user=app&password=****'
 * maskSecrets("host=db user=app password='s3 cret'")       // => 'host=db user=app password=****'
 */
export function maskSecrets(text: string): string {
  // Each reading marks what it would hide in the original text; the union is hidden, so one
  // reading's guess (where a URL ends, where a value ends) never uncovers what the other hides.
  const ranges = [...userinfoRanges(text), ...keyValueRanges(text)].sort((a, b) => a[0] - b[0]);
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < ranges.length) {
    let [from, to] = ranges[i]!;
    for (i++; i < ranges.length && ranges[i]![0] <= to; i++) to = Math.max(to, ranges[i]![1]);
    out += text.slice(copied, Math.max(from, copied)) + SECRET_MASK;
    copied = Math.max(copied, to);
  }
  return out + text.slice(copied);
}

type Range = [from: number, to: number];

/**
 * Why a `scheme://…` URL cannot be read unambiguously, or null when it can: an unencoded space,
 * `#`, or an `@` anywhere but once in the host part means a password (or user name) holds a
 * character that should have been percent-encoded, and parsers disagree on where it ends.
 *
 * @example
 * urlAmbiguity('postgres://app:p@ss#word@db/app') // => 'unencoded "#"'
 * urlAmbiguity('postgres://app:p%40ss@db/app')    // => null
 */
export function urlAmbiguity(url: string): string | null {
  const start = url.indexOf('://');
  if (start < 0) return null;
  const rest = url.slice(start + 3);
  if (/\s/.test(rest)) return 'unencoded space';
  if (rest.includes('#')) return 'unencoded "#"';
  const authEnd = authorityEnd(rest);
  const ats = [...rest].filter((ch) => ch === '@').length;
  if (ats === 0) return null;
  const firstAt = rest.indexOf('@');
  if (firstAt > authEnd) return 'unencoded "/", "?" or "@" in the user name or password';
  if (ats > 1) return 'unencoded "@"';
  return null;
}

/** The hint given with an ambiguous URL. */
export const PERCENT_ENCODE_HINT =
  'Percent-encode special characters in the user name and password (@ → %40, # → %23, / → %2F, ? → %3F, : → %3A, space → %20), e.g. with encodeURIComponent().';

function authorityEnd(rest: string): number {
  const m = /[/?#]/.exec(rest);
  return m ? m.index : rest.length;
}

/** The user information (or only its password, when the URL reads unambiguously) of every URL. */
function userinfoRanges(text: string): Range[] {
  const ranges: Range[] = [];
  let covered = 0;
  for (const m of text.matchAll(SCHEME)) {
    const after = m.index + m[0].length;
    if (after <= covered) continue; // inside what the previous URL already hid
    // A URL is read up to the end of its line: a password may hold a space, a quote or `://`.
    const lineEnd = /[\r\n]/.exec(text.slice(after));
    const seg = text.slice(after, lineEnd ? after + lineEnd.index : text.length);
    const tokEnd = TOKEN_END.exec(seg);
    const tok = tokEnd ? seg.slice(0, tokEnd.index) : seg;
    const lastAtInSeg = seg.lastIndexOf('@');
    let hideFrom = 0;
    let hideTo = -1;
    if (lastAtInSeg >= tok.length && /[:@]/.test(tok)) {
      // A space (or quote) inside the user information cut the URL short: it runs to the last `@`.
      hideTo = lastAtInSeg;
    } else {
      const lastAt = tok.lastIndexOf('@');
      if (lastAt < 0) continue;
      hideTo = lastAt;
      if (urlAmbiguity(`x://${tok}`) === null) {
        const colon = tok.indexOf(':');
        if (colon < 0 || colon > lastAt) continue; // a user without a password
        hideFrom = colon + 1;
      }
    }
    if (hideFrom === hideTo) continue; // `user:@host`: an empty password
    ranges.push([after + hideFrom, after + hideTo]);
    covered = after + hideTo;
  }
  return ranges;
}

/** The value of every `…password=` key (libpq strings, URL query parameters, assignments). */
function keyValueRanges(text: string): Range[] {
  const ranges: Range[] = [];
  for (const m of text.matchAll(KEY_VALUE)) {
    const valueStart = m.index + m[0].length;
    const inUrlQuery = m[1] === '?' || m[1] === '&';
    const rest = text.slice(valueStart);
    let length: number;
    if (inUrlQuery) {
      // A query value ends at the next parameter; an unencoded space or `#` inside it does not end it.
      const end = /[&\r\n]/.exec(rest);
      length = end ? end.index : rest.length;
    } else if (rest.startsWith("'")) {
      // libpq quoting: 'a value', with \' and \\ escapes (an unterminated quote runs to the end).
      const q = /^'(?:[^'\\]|\\[\s\S])*(?:'|$)/.exec(rest);
      length = q ? q[0].length : rest.length;
    } else {
      const end = /\s/.exec(rest);
      length = end ? end.index : rest.length;
    }
    if (length > 0) ranges.push([valueStart, valueStart + length]);
  }
  return ranges;
}
