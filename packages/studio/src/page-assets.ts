import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StrataError } from '@strata/core';

/** The built page: index.html, app.js, app.css and the lazily loaded chunk-*.js, read once at start and served from memory. */
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
  // Chunks the page imports when it needs them (the SQL editor); names from esbuild: chunk-<hash>.js.
  for (const name of readdirSync(dir)) {
    if (/^chunk-[A-Za-z0-9_-]+\.js$/.test(name)) files.set(name, { body: readFileSync(join(dir, name), 'utf8'), type: FILES['app.js']! });
  }
  return { files };
}
