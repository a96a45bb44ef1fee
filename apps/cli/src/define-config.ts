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
  /** `lock_timeout` per lock wait, ms (default 100): never long, a waiting ALTER blocks the writers queued behind it. */
  lockTimeoutMs?: number;
  /** How long a migration part keeps retrying lock timeouts, ms (default 60 000). */
  lockBudgetMs?: number;
  statementTimeoutMs?: number;
  lockWaitMs?: number;
  /**
   * The targets of `migrate --all`, `status --all`, `check --all` (docs/fleet.md): URLs (`${ENV}`
   * references resolved at run time) or `{ url, schema?, name? }` (schema: a tenant schema the
   * folder is applied to), or `{ control, query }`: a query on a control database listing them.
   */
  targets?: (string | { url: string; schema?: string; name?: string })[] | { control: string; query: string };
  outOfOrder?: 'error' | 'allow';
  /** true: `drop` and `push` refuse to run; the studio opens read-only unless `--write`. */
  production?: boolean;
  /**
   * The studio's read-only SQL console on a server: a URL logging in as a role that is not a
   * superuser and holds none of pg_execute_server_program / pg_read_server_files /
   * pg_write_server_files (e.g. `process.env.READONLY_DATABASE_URL`).
   */
  readOnlyUrl?: string;
  /** true: `generate` and `push` write plain DDL instead of the lock-safe recipes (tables known to be small). */
  unsafePlans?: boolean;
  /**
   * Extensions the embedded database (PGlite) registers when it opens, besides those the
   * migrations create and those it already has (e.g. `['vector']` for a project that only pushes).
   */
  pgliteExtensions?: string[];
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
