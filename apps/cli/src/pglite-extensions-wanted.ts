import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledExtensionsCreatedBy } from '@strata/db';
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
  const ups = existsSync(config.out)
    ? readdirSync(config.out).filter((f) => f.endsWith('.sql') && !f.endsWith('.down.sql')).map((f) => readFileSync(join(config.out, f), 'utf8'))
    : [];
  return [...new Set([...(config.pgliteExtensions ?? []), ...bundledExtensionsCreatedBy(ups)])];
}
