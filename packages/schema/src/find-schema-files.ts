import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StrataError } from '@strata/core';
import { displayPath } from './display-path.js';

/** Extensions a schema file may have. */
export const SCHEMA_FILE_EXTENSIONS = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'] as const;

const IGNORE = ['**/node_modules/**', '**/*.d.ts', '**/*.d.mts', '**/*.d.cts', '**/*.test.*', '**/*.spec.*'];
const LOADABLE = new RegExp(`\\.(${SCHEMA_FILE_EXTENSIONS.join('|')})$`);

/** Characters without which no pattern is a glob: a plain path does not load the glob library. */
const GLOB_CHARS = /[*?[\]{}()!+@]/;

/** tinyglobby, imported on first use (with picomatch and fdir, a few ms of every start otherwise). */
const globLibrary = () => import('tinyglobby');

/**
 * Expands the config's `schema` entries into schema files (absolute paths, sorted): a file is taken
 * as it is; a directory means every .ts/.mts/.cts/.js/.mjs/.cjs file inside it, recursively; anything
 * else is a glob. Directories and globs skip node_modules, declaration files and `*.test.*` /
 * `*.spec.*` files. A path that does not exist, or nothing found at all, is a
 * `StrataError('SCHEMA_LOAD_FAILED')` saying where it looked.
 *
 * @example
 * await findSchemaFiles(['./src/db/schema'], { cwd: process.cwd() }) // => ['/app/src/db/schema/index.ts', …]
 */
export async function findSchemaFiles(patterns: readonly string[], options: { cwd: string }): Promise<string[]> {
  const cwd = resolve(options.cwd);
  if (patterns.length === 0) {
    throw new StrataError('SCHEMA_LOAD_FAILED', 'No schema files given', { hint: 'Set `schema` in the config: a file, a directory or globs.' });
  }
  const files = new Set<string>();
  for (const pattern of patterns) {
    if (GLOB_CHARS.test(pattern) && (await globLibrary()).isDynamicPattern(pattern)) {
      const { glob } = await globLibrary();
      for (const f of await glob(pattern, { cwd, absolute: true, ignore: IGNORE, onlyFiles: true })) if (LOADABLE.test(f)) files.add(resolve(f));
      continue;
    }
    const path = resolve(cwd, pattern);
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      throw new StrataError('SCHEMA_LOAD_FAILED', `Schema path ${displayPath(path, cwd)} does not exist (looked for ${path})`, {
        hint: `Check \`schema\` in the config; relative paths are resolved from ${cwd}.`,
      });
    }
    if (info.isDirectory()) {
      const { glob } = await globLibrary();
      const inside = await glob(`**/*.{${SCHEMA_FILE_EXTENSIONS.join(',')}}`, { cwd: path, absolute: true, ignore: IGNORE, onlyFiles: true });
      for (const f of inside) files.add(resolve(f));
    } else {
      files.add(path);
    }
  }
  if (files.size === 0) {
    throw new StrataError('SCHEMA_LOAD_FAILED', `No schema files found: looked for ${patterns.map((p) => JSON.stringify(p)).join(', ')} in ${cwd}`, {
      hint: `A directory is searched recursively for .${SCHEMA_FILE_EXTENSIONS.join('/.')} files (node_modules, *.d.ts and *.test.* skipped).`,
    });
  }
  return [...files].sort();
}
