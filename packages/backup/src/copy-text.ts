const ESCAPES: Record<number, number> = { 98: 0x08, 102: 0x0c, 110: 0x0a, 114: 0x0d, 116: 0x09, 118: 0x0b };
const isOctal = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x37;
const hexValue = (c: number | undefined) => {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
};

/** One field's raw bytes (escapes and all) as the value it stands for. */
function decodeField(raw: Buffer): string | null {
  if (raw.length === 2 && raw[0] === 0x5c && raw[1] === 0x4e) return null;
  if (!raw.includes(0x5c)) return raw.toString('utf8');
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    const n = raw[i + 1];
    if (n !== undefined && n in ESCAPES) {
      out.push(ESCAPES[n]!);
      i++;
    } else if (isOctal(n)) {
      let v = 0;
      let j = i + 1;
      for (; j < i + 4 && isOctal(raw[j]); j++) v = v * 8 + (raw[j]! - 0x30);
      out.push(v & 0xff);
      i = j - 1;
    } else if (n === 0x78 && hexValue(raw[i + 2]) >= 0) {
      let v = 0;
      let j = i + 2;
      for (; j < i + 4 && hexValue(raw[j]) >= 0; j++) v = v * 16 + hexValue(raw[j]);
      out.push(v);
      i = j - 1;
    } else if (n !== undefined) {
      out.push(n);
      i++;
    }
  }
  return Buffer.from(out).toString('utf8');
}

/**
 * Decodes whole rows of PostgreSQL's COPY text format into their values as text. A raw tab or
 * newline always separates (in values they are escaped), `\N` is NULL, and backslash escapes
 * (`\t`, `\n`, `\\`, octal `\123`, hex `\x7f`…) stand for the bytes they name.
 *
 * @example
 * decodeCopyRows(Buffer.from('1\tann\\tlee\t\\N\n')) // => [['1', 'ann\tlee', null]]
 */
export function decodeCopyRows(chunk: Buffer): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let start = 0;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i];
    if (c !== 0x09 && c !== 0x0a) continue;
    row.push(decodeField(chunk.subarray(start, i)));
    start = i + 1;
    if (c === 0x0a) {
      rows.push(row);
      row = [];
    }
  }
  return rows;
}
