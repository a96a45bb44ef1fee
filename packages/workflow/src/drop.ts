import { StrataError, qualify, quoteIdent } from '@strata/core';
import type { Session } from '@strata/db';
import { migrationLockKey } from '@strata/runner';
import type { Snapshot } from '@strata/schema';
import { codeSnapshot } from './code-snapshot.js';
import type { Confirm } from './confirm-request.js';
import { openDatabaseInput, type DatabaseInput } from './database-input.js';
import { liveSnapshot, managedSchemas } from './managed-schema.js';
import type { ResolvedConfig } from './resolved-config.js';
import type { OnProgress } from './workflow-progress.js';

export interface DropInput {
  config: ResolvedConfig;
  /** The database to empty (the direct URL: drop holds a session lock). */
  db: DatabaseInput;
  /** Drop without asking. */
  force?: boolean;
  /** Asked (without `force`) with the list of what goes; without it, that is an INPUT_REQUIRED error. */
  confirm?: Confirm;
  onProgress?: OnProgress;
}

/** One object `drop` removes, in the order it is dropped. */
export interface DropItem {
  kind: 'view' | 'materialized view' | 'table' | 'sequence' | 'type' | 'schema' | 'history';
  name: string;
  sql: string;
}

export interface DropResult {
  dropped: boolean;
  items: DropItem[];
}

/**
 * Everything `drop` would remove: the managed objects, then Strata's own history schema.
 *
 * @example
 * dropPlan(await liveSnapshot(db, config, schemas), 'strata', true) // => [{ kind: 'table', name: '"public"."users"', sql: 'DROP TABLE …' }, …]
 */
export function dropPlan(live: Snapshot, historySchema: string, historyExists: boolean): DropItem[] {
  const items: DropItem[] = [];
  const schemas = Object.values(live.schemas);
  for (const s of schemas) for (const v of Object.values(s.views)) {
    items.push({ kind: v.materialized ? 'materialized view' : 'view', name: qualify(s.name, v.name), sql: `DROP ${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} IF EXISTS ${qualify(s.name, v.name)} CASCADE` });
  }
  for (const s of schemas) for (const t of Object.values(s.tables)) {
    items.push({ kind: 'table', name: qualify(s.name, t.name), sql: `DROP TABLE IF EXISTS ${qualify(s.name, t.name)} CASCADE` });
  }
  for (const s of schemas) for (const q of Object.values(s.sequences)) {
    items.push({ kind: 'sequence', name: qualify(s.name, q.name), sql: `DROP SEQUENCE IF EXISTS ${qualify(s.name, q.name)} CASCADE` });
  }
  for (const s of schemas) for (const e of Object.values(s.enums)) {
    items.push({ kind: 'type', name: qualify(s.name, e.name), sql: `DROP TYPE IF EXISTS ${qualify(s.name, e.name)} CASCADE` });
  }
  if (historyExists) items.push({ kind: 'history', name: quoteIdent(historySchema), sql: `DROP SCHEMA IF EXISTS ${quoteIdent(historySchema)} CASCADE` });
  return items;
}

const DROP_KEYWORD: Record<string, string> = { view: 'VIEW', 'materialized view': 'MATERIALIZED VIEW', table: 'TABLE', sequence: 'SEQUENCE', type: 'TYPE' };

/**
 * The plan's statements with objects of one kind dropped together (`DROP TABLE IF EXISTS a, b
 * CASCADE`): PostgreSQL resolves the dependencies of the whole list once, where a statement per
 * object costs a round trip and a dependency walk each (1,000 tables: seconds).
 *
 * @example
 * dropStatements(dropPlan(live, 'strata', true)) // => ['DROP TABLE IF EXISTS "public"."a", "public"."b" CASCADE', …]
 */
export function dropStatements(items: readonly DropItem[]): string[] {
  const statements: string[] = [];
  let kind: string | undefined;
  let names: string[] = [];
  const flush = () => {
    if (kind !== undefined && names.length > 0) statements.push(`DROP ${DROP_KEYWORD[kind]} IF EXISTS ${names.join(', ')} CASCADE`);
    names = [];
  };
  for (const item of items) {
    const keyword = DROP_KEYWORD[item.kind];
    if (keyword === undefined) {
      flush();
      kind = undefined;
      statements.push(item.sql);
      continue;
    }
    if (item.kind !== kind) {
      flush();
      kind = item.kind;
    }
    names.push(item.name);
  }
  flush();
  return statements;
}

async function schemaIsEmpty(s: Session, schema: string): Promise<boolean> {
  const r = await s.query<{ n: string }>(
    `select (select count(*) from pg_class c where c.relnamespace = n.oid) + (select count(*) from pg_type t where t.typnamespace = n.oid and t.typtype <> 'b' and t.typrelid = 0 and t.typelem = 0)
            + (select count(*) from pg_proc p where p.pronamespace = n.oid) as n
       from pg_namespace n where n.nspname = $1`,
    [schema],
  );
  return r.rows.length > 0 && Number(r.rows[0]!.n) === 0;
}

/**
 * Drops every object in the managed schemas and Strata's history: the guide's reset before
 * regenerating the initial migration. Objects outside the managed schemas and `tablesFilter` stay.
 * Refuses on a `production: true` config.
 *
 * @example
 * const r = await drop({ config, db, force: true });
 * console.log(r.items.map((i) => i.name));
 */
export async function drop(input: DropInput): Promise<DropResult> {
  const { config } = input;
  if (config.production) {
    throw new StrataError('REFUSED', `drop refuses to run: ${config.file} says production: true`, { hint: 'drop is a development reset.' });
  }
  const code = config.file && config.schema ? (await codeSnapshot({ ...config, schema: config.schema })).snapshot : undefined;
  const schemas = managedSchemas(config, code);
  const db = await openDatabaseInput(input.db);
  // The history table's lock: the one `migrate` of this project takes.
  const lock = await db.acquireMigrationLock({
    key: migrationLockKey(config.history),
    waitMs: config.lockWaitMs,
    ...(input.onProgress ? { onWait: (w: { holderPid: number | null }) => input.onProgress?.({ type: 'waiting-for-lock', holderPid: w.holderPid }) } : {}),
  });
  try {
    const live = await liveSnapshot(lock.session, config, schemas);
    const history = await lock.session.query<{ n: number }>('select count(*)::int4 as n from pg_namespace where nspname = $1', [config.history.schema]);
    const items = dropPlan(live, config.history.schema, (history.rows[0]?.n ?? 0) > 0);
    if (items.length === 0) return { dropped: false, items };
    if (!input.force) {
      const message = 'Drop all of them? Their data is lost.';
      const hint = 'pass --force to drop without a terminal';
      if (!input.confirm) throw new StrataError('INPUT_REQUIRED', `${message} (no terminal to ask on)`, { hint });
      if (!(await input.confirm({ kind: 'drop', message, hint, items: [...items] }))) throw new StrataError('REFUSED', 'drop cancelled: nothing was changed');
    }
    await lock.session.transaction(async (tx) => {
      for (const sql of dropStatements(items)) await tx.exec(sql);
      // A managed schema the code declares, now empty, goes too (public stays).
      for (const s of schemas) {
        if (s === 'public' || !(s in live.schemas)) continue;
        if (await schemaIsEmpty(tx, s)) {
          await tx.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(s)}`);
          items.push({ kind: 'schema', name: quoteIdent(s), sql: `DROP SCHEMA ${quoteIdent(s)}` });
        }
      }
    });
    return { dropped: true, items };
  } finally {
    await lock.release();
  }
}
