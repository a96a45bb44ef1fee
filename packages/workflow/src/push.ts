import { StrataError } from '@strata/core';
import { recognizeAbsorbedUniques, withCodeText } from '@strata/db';
import { diffSnapshots, parseRenameHint, renderMigration, rewriteQuestion, summarize, type Diff, type Hazard, type PlanNote, type RenameResolver, type Rewrite } from '@strata/diff';
import { applyUntracked, migrationLockKey } from '@strata/runner';
import { assertServerCanExpress, featuresBeyondServer, type Snapshot, type Table } from '@strata/schema';
import { codeSnapshot } from './code-snapshot.js';
import type { Confirm } from './confirm-request.js';
import { openDatabaseInput, type DatabaseInput } from './database-input.js';
import { hintedRenameResolver } from './hinted-rename-resolver.js';
import { liveSnapshot, managedSchemas, serverSpelled } from './managed-schema.js';
import type { SchemaConfig } from './resolved-config.js';
import { inStep, type OnProgress } from './workflow-progress.js';

export interface PushInput {
  config: SchemaConfig;
  /** The database to change (the direct URL, not a pooler: push holds a session lock). */
  db: DatabaseInput;
  /** Apply changes that lose data or rewrite tables without asking. */
  force?: boolean;
  /** Plain DDL instead of the lock-safe recipes; default `config.unsafePlans`. */
  unsafePlans?: boolean;
  /** Plan only: change nothing. */
  dryRun?: boolean;
  /** Answers rename questions; default `hintedRenameResolver([])` (an open question is an error). */
  resolver?: RenameResolver;
  /**
   * The `--rename from=to` hints the resolver answers with. A schema renamed to one the code
   * declares (`--rename auth=identity`) is read from the database too, though the code no longer
   * names it: otherwise the rename matches nothing.
   */
  renames?: readonly string[];
  /** Asked before a change that loses data or rewrites a table (without `force`); without it, that is an INPUT_REQUIRED error. */
  confirm?: Confirm;
  onProgress?: OnProgress;
}

export interface PushResult {
  changed: boolean;
  applied: boolean;
  summary: string[];
  sql: string;
  hazards: Hazard[];
  dataLoss: Hazard[];
  /** Type changes that rewrite a table under an exclusive lock: applied after a yes or `force`. */
  rewrites: Rewrite[];
  /** The lock-safe recipes used. */
  plans: PlanNote[];
}

/** Plain plans build indexes inside push's transaction: the CONCURRENTLY hint is for migrations only. */
function withoutConcurrently(s: Snapshot): Snapshot {
  // Copy only the tables that carry the hint; the rest are shared, never changed. (fromEntries,
  // not assignment: a table may be called `__proto__`.)
  const unhinted = (t: Table): Table =>
    Object.values(t.indexes).some((i) => i.concurrently)
      ? { ...t, indexes: Object.fromEntries(Object.entries(t.indexes).map(([k, i]) => [k, { ...i, concurrently: undefined }])) }
      : t;
  const schemas = Object.fromEntries(Object.entries(s.schemas).map(([name, schema]) => [name, {
    ...schema,
    tables: Object.fromEntries(Object.entries(schema.tables).map(([tname, t]) => [tname, unhinted(t)])),
  }]));
  return { ...s, schemas };
}

/**
 * The managed schemas plus each schema a hint renames into a schema the code declares. Only a
 * whole-schema rename, and only when the config does not list `schemas`: a table moved out of a
 * schema must not make push manage (and drop) everything else in it.
 *
 * @example
 * withRenamedSchemas(['b', 'public'], config, code, ['a=b']) // => ['a', 'b', 'public']
 */
function withRenamedSchemas(schemas: string[], config: SchemaConfig, code: Snapshot, renames: readonly string[]): string[] {
  if (config.schemas && config.schemas.length > 0) return schemas;
  const from = renames.map(parseRenameHint)
    .filter((h) => h.from.length === 1 && h.to.length === 1 && code.schemas[h.to[0]!] !== undefined && code.schemas[h.from[0]!] === undefined)
    .map((h) => h.from[0]!);
  return from.length === 0 ? schemas : [...new Set([...schemas, ...from])].sort();
}

/**
 * Makes the database match the schema code directly, without migration files or history (the
 * guide's development loop), with the same lock-safe recipes as `generate` (unless `unsafePlans`),
 * run part by part. Data loss and table rewrites need `force` or a yes from `confirm`. Refuses on a
 * `production: true` config unless it is a dry run.
 *
 * @example
 * const r = await push({ config, db, force: true });
 * if (r.applied) console.log(r.sql);
 */
export async function push(input: PushInput): Promise<PushResult> {
  const { config } = input;
  if (config.production && !input.dryRun) {
    throw new StrataError('REFUSED', `push refuses to run: ${config.file} says production: true`, {
      hint: 'Use `strata generate` and `strata migrate` for a production database.',
    });
  }
  const { snapshot: code } = await codeSnapshot(config);
  const db = await openDatabaseInput(input.db);
  // The plan uses what this server runs (PostgreSQL 17's SET EXPRESSION); a feature it lacks stops here.
  const server = await db.serverInfo();
  if (featuresBeyondServer(code, 0).length > 0) assertServerCanExpress(code, server, 'push');
  const schemas = withRenamedSchemas(managedSchemas(config, code), config, code, input.renames ?? []);
  // The history table's lock: the one `migrate` of this project takes.
  const lock = await db.acquireMigrationLock({
    key: migrationLockKey(config.history),
    waitMs: config.lockWaitMs,
    onWait: (w) => input.onProgress?.({ type: 'waiting-for-lock', holderPid: w.holderPid }),
  });
  try {
    // Read through the pool (the catalog queries run side by side); the lock keeps other
    // Strata processes from changing the schema meanwhile.
    const live = await inStep(input.onProgress, 'reading the database', () => liveSnapshot(db, config, schemas));
    const unsafePlans = input.unsafePlans ?? config.unsafePlans ?? false;
    const spelled = await inStep(input.onProgress, 'letting the server spell the schema code', () => serverSpelled(lock.session, code, config, schemas, live));
    // What is created or changed is written as the code writes it (a spelling may not build the
    // same expression again); what the database already holds compares by the spelling.
    const built = withCodeText(spelled, code, live);
    const target = unsafePlans ? withoutConcurrently(built) : built;
    const resolver = input.resolver ?? hintedRenameResolver([]);
    // PostgreSQL absorbs a UNIQUE on the primary key's columns (drizzle-kit's `.primaryKey().unique()`).
    const diff: Diff = await diffSnapshots(recognizeAbsorbedUniques(live, code, target), target, { resolver, unsafePlans, serverVersionNum: server.versionNum });
    await resolver.finish?.();
    const result: PushResult = {
      changed: diff.changes.length > 0,
      applied: false,
      summary: summarize(diff),
      sql: renderMigration(diff.upParts),
      hazards: diff.hazards,
      dataLoss: diff.hazards.filter((h) => h.kind === 'data-loss'),
      rewrites: unsafePlans ? [] : diff.rewrites,
      plans: diff.plans,
    };
    if (!result.changed || input.dryRun) return result;
    const rewrite = rewriteQuestion(result.rewrites);
    if ((result.dataLoss.length > 0 || rewrite) && !input.force) {
      const what = [
        ...(result.dataLoss.length ? [`push would lose data:\n${result.dataLoss.map((h) => `  - ${h.message}`).join('\n')}`] : []),
        ...(rewrite ? [rewrite.message.replace(/^this change rewrites /, 'push would rewrite ')] : []),
      ].join('\n');
      const accept = result.dataLoss.length ? 'the loss' : 'the rewrite';
      if (!input.confirm) {
        throw new StrataError('INPUT_REQUIRED', what, { hint: `Run it on a terminal to confirm, or pass --force to accept ${accept}.` });
      }
      const kind = result.dataLoss.length ? 'push-data-loss' : 'push-rewrite';
      if (!(await input.confirm({ kind, message: `${what}\nApply anyway?`, hint: 'pass --force', plan: result }))) {
        throw new StrataError('REFUSED', 'push cancelled: nothing was changed');
      }
    }
    // Part by part, exactly as migrate runs a migration (a new enum value is committed before a
    // later part uses it; CONCURRENTLY runs outside a transaction), with the same short
    // lock_timeout retried as a whole transaction within lockBudgetMs: a push onto a database an
    // application is using stalls its writers no longer than a migration would.
    await applyUntracked({
      client: db, session: lock.session, pid: lock.pid, name: 'push', sql: result.sql,
      options: {
        lockTimeoutMs: config.lockTimeoutMs, lockBudgetMs: config.lockBudgetMs, statementTimeoutMs: config.statementTimeoutMs,
        onEvent: (event) => input.onProgress?.({ type: 'applying', event }),
      },
    });
    result.applied = true;
    return result;
  } finally {
    await lock.release();
  }
}
