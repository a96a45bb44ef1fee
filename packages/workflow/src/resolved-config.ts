/**
 * A project's config with defaults applied and paths made absolute (relative to the config file):
 * what every workflow reads. The CLI's `loadConfig` makes one from `strata.config.ts`; a program
 * may build one itself.
 *
 * @example
 * const config: ResolvedConfig = { ...(await loadConfig('/app/strata.config.ts')), tablesFilter: ['!audit_*'] };
 */
export interface ResolvedConfig {
  /** The config file, or null when running without one. */
  file: string | null;
  /** Directory the config's relative paths start from (the working directory without a file). */
  dir: string;
  schema: string[] | null;
  out: string;
  dbUrl: string | undefined;
  directUrl: string | undefined;
  schemas: string[] | undefined;
  tablesFilter: string[] | undefined;
  /**
   * Globs (`public.audit_*`, `fn_*`; with a `.` matched against `schema.name`) of objects that
   * custom migrations own: check, push and drop leave them alone.
   */
  ownedBySql?: string[] | undefined;
  casing: 'snake_case' | 'camelCase' | undefined;
  history: { schema: string; table: string };
  /** `lock_timeout` per lock wait, ms (100 by default). */
  lockTimeoutMs: number;
  /** How long a migration part keeps retrying lock timeouts, ms (60 000 by default). */
  lockBudgetMs: number;
  statementTimeoutMs: number;
  lockWaitMs: number;
  outOfOrder: 'error' | 'allow';
  production: boolean;
  /** A login for the studio's read-only console (a role that is not a superuser). */
  readOnlyUrl: string | undefined;
  /** true: plain DDL instead of the lock-safe recipes in `generate` and `push` (tables known to be small). */
  unsafePlans?: boolean;
  /** Extensions the embedded database registers when it opens (besides the migrations' and the ones it has). */
  pgliteExtensions?: string[];
  dataDir: string;
  backupDir: string;
  /**
   * The fleet's targets (`migrate --all`, docs/fleet.md): URLs (with `${ENV}` references) or
   * `{ url, schema?, name? }`, or `{ control, query }` to list them from a control database.
   */
  targets?: (string | { url: string; schema?: string; name?: string })[] | { control: string; query: string } | undefined;
}

/** A config that names schema code (`schema` set): what generate, push and check need. */
export type SchemaConfig = ResolvedConfig & { schema: string[] };
