import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { h1 } from './checksum.js';
import type { IntegrityIssue } from './migration.js';

/** Where the integrity file lives, relative to the migration folder. */
export const SUM_FILE = 'meta/strata.sum';

/** The files the integrity file covers: every `*.sql` of the folder and every `meta/*.json`, in name order. */
export function listSummedFiles(dir: string): string[] {
  const sql = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.sql')).map((e) => e.name) : [];
  const metaDir = join(dir, 'meta');
  const meta = existsSync(metaDir)
    ? readdirSync(metaDir, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => `meta/${e.name}`)
    : [];
  return [...sql, ...meta].sort(byCodeUnit);
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The text of `meta/strata.sum` for the folder as it is: a first line `h1:<hash of every following
 * line, each with its newline>`, then `<file> h1:<hash of its bytes>` per file, in name order.
 * A change on two branches changes the first line on both, so the merge conflicts in git.
 *
 * @example
 * buildSumFile('./migrations') // => 'h1:…\n20261126001500_init.sql h1:…\n…'
 */
export function buildSumFile(dir: string, known?: ReadonlyMap<string, string>): string {
  const body = listSummedFiles(dir).map((f) => `${f} ${known?.get(f) ?? h1(readFileSync(join(dir, f)))}\n`).join('');
  return `${h1(body)}\n${body}`;
}

/**
 * Rewrites `meta/strata.sum` from the files as they are (the `strata hash` command): for an
 * intended edit of a migration that no database has applied yet. `known`: hashes of files checked
 * against the sum moments ago (by their names in it), not read again.
 *
 * @example
 * const { file, files } = rehash('./migrations');
 */
export function rehash(dir: string, known?: ReadonlyMap<string, string>): { file: string; files: number } {
  mkdirSync(join(dir, 'meta'), { recursive: true });
  const text = buildSumFile(dir, known);
  const file = join(dir, SUM_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return { file, files: text.split('\n').length - 2 };
}

/**
 * The `<file> → h1:…` lines of `meta/strata.sum`, or null when it is missing or damaged (its first
 * line does not match its body, or a line is not `<file> h1:…`). Only as good as the last check
 * of the folder against it.
 *
 * @example
 * sumEntries('./migrations')?.get('20261126001500_init.sql') // => 'h1:…'
 */
export function sumEntries(dir: string): Map<string, string> | null {
  const sum = readSumFile(dir);
  return sum && !sum.damaged ? sum.listed : null;
}

/** The sum file's listed hashes, and whether it is damaged; null when there is none. */
function readSumFile(dir: string): { listed: Map<string, string>; damaged: boolean } | null {
  const path = join(dir, SUM_FILE);
  if (!existsSync(path)) return null;
  const [first = '', ...rest] = readFileSync(path, 'utf8').replace(/\r\n/g, '\n').split('\n');
  const listed = new Map<string, string>();
  let damaged = h1(rest.join('\n')) !== first.trim();
  for (const line of rest) {
    if (line === '') continue;
    const m = /^(.+) (h1:[A-Za-z0-9+/=]+)$/.exec(line);
    if (m) listed.set(m[1]!, m[2]!);
    else damaged = true;
  }
  return { listed, damaged };
}

/**
 * Compares the folder with its integrity file. `required` says whether a missing sum file is a
 * problem (it is once Strata has written a migration; a plain drizzle-kit folder has none); `read`
 * holds files already read (by their names in the sum file), which are not read again.
 */
export function checkSumFile(dir: string, required: boolean, read?: ReadonlyMap<string, Buffer>): { sumFile: 'ok' | 'missing' | 'damaged'; files: IntegrityIssue[] } | null {
  const sum = readSumFile(dir);
  if (!sum) return required ? { sumFile: 'missing', files: [] } : null;
  const { listed, damaged } = sum;
  const files: IntegrityIssue[] = [];
  const actual = listSummedFiles(dir);
  for (const f of actual) {
    const want = listed.get(f);
    if (want === undefined) files.push({ file: f, issue: 'unlisted' });
    else if (want !== h1(read?.get(f) ?? readFileSync(join(dir, f)))) files.push({ file: f, issue: 'changed' });
  }
  const present = new Set(actual);
  for (const f of listed.keys()) if (!present.has(f)) files.push({ file: f, issue: 'deleted' });
  if (!damaged && files.length === 0) return null;
  files.sort((a, b) => byCodeUnit(a.file, b.file));
  return { sumFile: damaged ? 'damaged' : 'ok', files };
}
