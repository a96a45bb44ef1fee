import { StrataError } from '@strata/core';
import { execBatch, recognizeAbsorbedUniques } from '@strata/db';
import { diffSnapshots, renderMigration, summarize, type Diff, type Hazard, type RenameResolver } from '@strata/diff';
import type { Snapshot, Table } from '@strata/schema';
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
  /** Apply changes that lose data without asking. */
  force?: boolean;
  /** Plan only: change nothing. */
  dryRun?: boolean;
  /** Answers rename questions; default `hintedRenameResolver([])` (an open question is an error). */
  resolver?: RenameResolver;
  /** Asked before a change that loses data (without `force`); without it, that is an INPUT_REQUIRED error. */
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
}

/** Push builds indexes inside its transaction: the CONCURRENTLY hint is for migrations only. */
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
 * Makes the database match the schema code directly, without migration files or history (the
 * guide's development loop). Data loss needs `force` or a yes from `confirm`. Refuses on a
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
  const schemas = managedSchemas(config, code);
  const lock = await db.acquireMigrationLock({
    waitMs: config.lockWaitMs,
    onWait: (w) => input.onProgress?.({ type: 'waiting-for-lock', holderPid: w.holderPid }),
  });
  try {
    // Read through the pool (the catalog queries run side by side); the lock keeps other
    // Strata processes from changing the schema meanwhile.
    const live = await inStep(input.onProgress, 'reading the database', () => liveSnapshot(db, config, schemas));
    const target = withoutConcurrently(await inStep(input.onProgress, 'letting the server spell the schema code', () => serverSpelled(lock.session, code, config, schemas, live)));
    const resolver = input.resolver ?? hintedRenameResolver([]);
    // PostgreSQL absorbs a UNIQUE on the primary key's columns (drizzle-kit's `.primaryKey().unique()`).
    const diff: Diff = await diffSnapshots(recognizeAbsorbedUniques(live, code, target), target, { resolver });
    await resolver.finish?.();
    const result: PushResult = {
      changed: diff.changes.length > 0,
      applied: false,
      summary: summarize(diff),
      sql: diff.parts.map((p) => renderMigration(p.up)).join(''),
      hazards: diff.hazards,
      dataLoss: diff.hazards.filter((h) => h.kind === 'data-loss'),
    };
    if (!result.changed || input.dryRun) return result;
    if (result.dataLoss.length > 0 && !input.force) {
      const lines = result.dataLoss.map((h) => `  - ${h.message}`).join('\n');
      if (!input.confirm) {
        throw new StrataError('INPUT_REQUIRED', `push would lose data:\n${lines}`, {
          hint: 'Run it on a terminal to confirm, or pass --force to accept the loss.',
        });
      }
      if (!(await input.confirm({ kind: 'push-data-loss', message: `push would lose data:\n${lines}\nApply anyway?`, hint: 'pass --force', plan: result }))) {
        throw new StrataError('REFUSED', 'push cancelled: nothing was changed');
      }
    }
    // One transaction per part: a new enum value must be committed before a later part uses it.
    for (const part of diff.parts) {
      await lock.session.transaction(async (tx) => {
        await tx.exec(`SET LOCAL lock_timeout = '${Math.max(0, config.lockTimeoutMs)}ms'`);
        // One round trip; one statement at a time only to report a failure.
        const statements = part.up.map((st) => st.sql);
        if (!(await execBatch(tx, statements))) for (const sql of statements) await tx.exec(sql);
      });
    }
    result.applied = true;
    return result;
  } finally {
    await lock.release();
  }
}
