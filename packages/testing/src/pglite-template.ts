import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { PGlite } from '@electric-sql/pglite';

// The template must come from the same PGlite version that opens it; its package.json is not
// exported, so find it beside the resolved entry point.
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  let dir = dirname(entry);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
const PGLITE_VERSION = pgliteVersion();

/**
 * Makes (once) an initialised PGlite data directory to copy from: a new PGlite runs initdb, which
 * takes seconds, while opening a copy takes a fraction of one.
 */
export async function ensurePgliteTemplate(): Promise<string> {
  const dir = join(tmpdir(), `strata-pglite-template-${PGLITE_VERSION}`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const work = mkdtempSync(join(tmpdir(), 'strata-pglite-init-'));
  const db = await PGlite.create(join(work, 'data'));
  await db.close();
  try {
    renameSync(join(work, 'data'), dir);
  } catch {
    // Another run made it first; theirs is as good as ours.
  }
  rmSync(work, { recursive: true, force: true });
  return dir;
}

/** A fresh embedded data directory, copied from the template. */
export function copyPgliteTemplate(template: string, into?: string): string {
  const target = into ?? join(mkdtempSync(join(tmpdir(), 'strata-pglite-')), 'data');
  cpSync(template, target, { recursive: true });
  return target;
}
