import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StrataError } from '@strata/core';

/** The built page: three files, read once at start and served from memory. */
export interface PageAssets {
  readonly files: ReadonlyMap<string, { body: string; type: string }>;
}

const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/**
 * Finds the page built into this package (`dist/page`, written by `scripts/build-page.mjs`): beside
 * the bundle when installed, or under `dist/` when running from the sources.
 */
export function defaultPageDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'page'), join(here, '..', 'dist', 'page')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? candidates[0]!;
}

/**
 * Loads the built page.
 *
 * @example
 * const assets = loadPageAssets(defaultPageDir());
 */
export function loadPageAssets(dir: string): PageAssets {
  const files = new Map<string, { body: string; type: string }>();
  for (const [name, type] of Object.entries(FILES)) {
    const path = join(dir, name);
    if (!existsSync(path)) {
      throw new StrataError('INTERNAL', `the studio page is not built: ${path} is missing`, {
        hint: 'Build the package (pnpm --filter @strata/studio build), or reinstall @strata/studio.',
      });
    }
    files.set(name, { body: readFileSync(path, 'utf8'), type });
  }
  return { files };
}
