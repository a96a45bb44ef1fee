import { isAbsolute, resolve } from 'node:path';
import { PERCENT_ENCODE_HINT, StrataError, maskSecrets, urlAmbiguity } from '@strata/core';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string | null };

/**
 * Parses a Strata database URL: `postgres://…`, `postgresql://…`, `pglite:<dir>`, `pglite:memory`.
 * A relative `pglite:` directory is resolved against `baseDir` (default: the working directory).
 *
 * @example
 * parseDatabaseUrl('pglite:memory') // => { kind: 'pglite', dataDir: null }
 */
export function parseDatabaseUrl(url: string, baseDir: string = process.cwd()): DatabaseTarget {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    const ambiguity = urlAmbiguity(trimmed);
    if (ambiguity) {
      // `postgres://app:p@ss#word@host/db` parses, as host "ss": refuse rather than connect elsewhere.
      throw new StrataError('URL_INVALID', `invalid PostgreSQL URL (${ambiguity}): ${maskSecrets(trimmed)}`, {
        hint: PERCENT_ENCODE_HINT,
      });
    }
    try {
      const u = new URL(trimmed);
      if (!u.hostname && !u.searchParams.get('host')) throw new Error('no host');
    } catch {
      throw new StrataError('URL_INVALID', `invalid PostgreSQL URL: ${maskSecrets(trimmed)}`, {
        hint: 'Use postgres://user:password@host:5432/database',
      });
    }
    return { kind: 'postgres', url: trimmed };
  }
  if (/^pglite:/i.test(trimmed)) {
    const rest = trimmed.slice('pglite:'.length).replace(/^\/\/(?=\/)/, '');
    if (rest === '' ) {
      throw new StrataError('URL_INVALID', 'invalid PGlite URL: "pglite:" needs a directory or "memory"', {
        hint: 'Use pglite:./.strata/pglite or pglite:memory',
      });
    }
    if (rest === 'memory' || rest === 'memory://') return { kind: 'pglite', dataDir: null };
    return { kind: 'pglite', dataDir: isAbsolute(rest) ? rest : resolve(baseDir, rest) };
  }
  throw new StrataError('URL_INVALID', `unsupported database URL: ${maskSecrets(trimmed)}`, {
    hint: 'Use postgres://user:password@host:5432/database, pglite:<directory> or pglite:memory',
  });
}

export type UrlSource = 'flag' | 'config' | 'env' | 'default';

export interface ResolvedUrl {
  url: string;
  source: UrlSource;
}

/**
 * Picks the database the way docs/cli.md orders it: `--url` › config `dbUrl` › `DATABASE_URL`
 * (empty counts as unset) › embedded PGlite in `.strata/pglite` beside the config.
 *
 * @example
 * resolveDatabaseUrl({ configDir: '/app' }) // => { url: 'pglite:/app/.strata/pglite', source: 'default' }
 */
export function resolveDatabaseUrl(input: {
  flag?: string | undefined;
  config?: string | undefined;
  env?: string | undefined;
  configDir: string;
}): ResolvedUrl {
  const set = (v: string | undefined): v is string => typeof v === 'string' && v.trim() !== '';
  if (set(input.flag)) return { url: input.flag, source: 'flag' };
  if (set(input.config)) return { url: input.config, source: 'config' };
  if (set(input.env)) return { url: input.env, source: 'env' };
  return { url: `pglite:${resolve(input.configDir, '.strata/pglite')}`, source: 'default' };
}

/** The target for messages: a masked URL, or the embedded directory. */
export function describeTarget(target: DatabaseTarget): string {
  return target.kind === 'postgres' ? maskSecrets(target.url) : target.dataDir === null ? 'pglite:memory' : `pglite:${target.dataDir}`;
}
