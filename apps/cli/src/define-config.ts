// Imports nothing, on purpose: a config file's `import { defineConfig } from '@strata/cli'` is
// loaded as this module alone (see loadConfig), not as the whole CLI.

/** The config file's shape (`strata.config.ts`); every key but `schema` is optional. */
export interface StrataConfig {
  /** Schema code: a file, a directory, or globs. */
  schema?: string | string[];
  /** Migration folder; default `./migrations`. */
  out?: string;
  dbUrl?: string;
  /** A direct connection for migrate/push when `dbUrl` goes through a pooler. */
  directUrl?: string;
  /** Managed schemas; default: those the code declares, and public. */
  schemas?: string[];
  /** Table name globs; `!` excludes. Objects outside the filters are never touched. */
  tablesFilter?: string | string[];
  /** Objects custom migrations own (globs, e.g. `['public.audit_*', 'public.fn_*']`): check, push and drop leave them alone. */
  ownedBySql?: string | string[];
  casing?: 'snake_case' | 'camelCase';
  history?: { schema?: string; table?: string };
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  lockWaitMs?: number;
  outOfOrder?: 'error' | 'allow';
  /** true: `drop` and `push` refuse to run. */
  production?: boolean;
  dataDir?: string;
  backupDir?: string;
}

/**
 * Types a config object; the default export of `strata.config.ts` may also be a plain object.
 *
 * @example
 * export default defineConfig({ schema: './src/database/schema', out: './database/migrations' });
 */
export function defineConfig(config: StrataConfig): StrataConfig {
  return config;
}
