import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extensionsCreatedBy, isBundledPgliteExtension } from '@strata/db';
import type { ResolvedConfig } from './config.js';

/**
 * The extensions an embedded database of this project registers when it opens: the config's
 * `pgliteExtensions` and every one PGlite ships that a migration in `out` creates, so that
 * `migrate` can create them and every later command can use them. Only names are read here;
 * nothing is loaded for a project whose migrations create none.
 *
 * @example
 * wantedPgliteExtensions({ out: '/app/migrations', pgliteExtensions: [] }) // => ['vector']
 */
export function wantedPgliteExtensions(config: Pick<ResolvedConfig, 'out' | 'pgliteExtensions'>): string[] {
  const names = new Set(config.pgliteExtensions ?? []);
  if (existsSync(config.out)) {
    for (const file of readdirSync(config.out)) {
      if (!file.endsWith('.sql') || file.endsWith('.down.sql')) continue;
      // One PGlite does not ship fails where the migration creates it, with what to do instead.
      for (const name of extensionsCreatedBy(readFileSync(join(config.out, file), 'utf8'))) if (isBundledPgliteExtension(name)) names.add(name);
    }
  }
  return [...names];
}
