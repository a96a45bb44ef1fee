import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes sure `dir` exists and that git ignores everything in it: creates it (readable by its
 * owner only) when missing, and writes a `.gitignore` of `*` when it has none, so a data dump or
 * an embedded database is not committed by `git add .`. An existing `.gitignore` is left as the
 * user wrote it. Returns true when it wrote one.
 *
 * @example
 * ensureIgnoredDir('/app/.strata', 'the embedded database and caches') // => true the first time
 */
export function ensureIgnoredDir(dir: string, what: string): boolean {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, '.gitignore');
  if (existsSync(file)) return false;
  try {
    writeFileSync(file, `# Written by Strata: ${what}. Never commit this folder.\n*\n`, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false; // another process wrote it first
    throw e;
  }
}
