import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { StrataError, maskSecrets } from '@strata/core';
import { openDatabase } from '@strata/db';
import { resolveEnvRefs } from './env-refs.js';
import type { ControlQuery, FleetTarget, TargetSpec, TargetsSource } from './target.js';
import { parseTargetsSource } from './targets-source.js';

export { parseTargetsSource, isTargetsSource, TARGETS_EXPECTED } from './targets-source.js';

/**
 * Reads a `--targets` file: JSON holding a target list (`parseTargetsSource`).
 *
 * @example
 * readTargetsFile('./tenants.json') // ["postgres://db/t1", "postgres://db/t2"] in the file
 */
export function readTargetsFile(file: string): TargetsSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new StrataError('NOT_FOUND', `could not read the target list ${file}: ${(e as Error).message}`, { hint: 'Check the --targets path.' });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new StrataError('CONFIG_INVALID', `${file} is not valid JSON: ${(e as Error).message}`, { hint: 'The simplest target list is a JSON array of URL strings.' });
  }
  return parseTargetsSource(raw, file);
}

/**
 * The targets of a list, named: runs the control query (resolving its URL's `${ENV}` references)
 * when the list is one. Target URLs keep their references; they are resolved when each target
 * runs. Names default to the schema, else the database name; repeated names get `#2`, `#3`….
 *
 * @example
 * const targets = await listTargets(readTargetsFile('./tenants.json'));
 */
export async function listTargets(source: TargetsSource, options: { env?: Record<string, string | undefined>; baseDir?: string } = {}): Promise<FleetTarget[]> {
  const specs = Array.isArray(source) ? source.map((s) => (typeof s === 'string' ? { url: s } : s)) : await queryTargets(source, options);
  const seen = new Map<string, number>();
  return specs.map((s) => {
    const base = s.name ?? s.schema ?? databaseLabel(s.url);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { name: n === 1 ? base : `${base}#${n}`, url: s.url, display: maskSecrets(s.url), schema: s.schema ?? null };
  });
}

async function queryTargets(q: ControlQuery, options: { env?: Record<string, string | undefined>; baseDir?: string }): Promise<TargetSpec[]> {
  const db = await openDatabase(resolveEnvRefs(q.control, options.env), { baseDir: options.baseDir, max: 1 });
  try {
    const r = await db.query<Record<string, unknown>>(q.query);
    return r.rows.map((row, i) => (parseTargetsSource([pick(row)], `the control query (row ${i + 1})`) as TargetSpec[])[0]!);
  } catch (e) {
    if (e instanceof StrataError) throw e;
    throw new StrataError('QUERY_FAILED', `the control query on ${maskSecrets(q.control)} failed: ${maskSecrets((e as Error).message)}`, { hint: 'It must return a `url` column, and may return `schema` and `name`.' });
  } finally {
    await db.close().catch(() => {});
  }
}

/** The row's url, schema and name columns (nulls left out). */
function pick(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['url', 'schema', 'name']) if (row[k] !== null && row[k] !== undefined) out[k] = row[k];
  return out;
}

/** A database's name from its URL (the path, or a PGlite directory's name), masked. */
export function databaseLabel(url: string): string {
  if (url.startsWith('pglite:')) return basename(resolve(url.slice('pglite:'.length))) || 'pglite';
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*\/([^?#]+)/i.exec(url);
  return m ? decodeURIComponent(m[1]!) : maskSecrets(url);
}
