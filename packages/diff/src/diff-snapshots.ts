import { qualify, quoteIdent } from '@strata/core';
import { emptySchema, SNAPSHOT_VERSION, type Snapshot } from '@strata/schema';
import { isSafeWidening, rewritesTable, serialKind, typeSql } from './column-type.js';
import { computeChanges } from './compute-changes.js';
import { planParts, planStatements } from './plan-statements.js';
import { NO_RENAMES, describeRenames, invertRenames, type Renames } from './rename-map.js';
import { noRenameResolver, type RenameResolver } from './rename-resolver.js';
import { resolveRenames } from './resolve-renames.js';
import { enumAdditionStage } from './split-stages.js';
import type { Change, Diff, Hazard, MigrationPart, PlanNote, Rewrite, Statement } from './types.js';

export interface DiffOptions {
  /** Decides renames; default `noRenameResolver` (every removed object is dropped, every added one created). */
  resolver?: RenameResolver;
  /**
   * True: plain DDL everywhere (for tables known to be small). Default false: changes to tables that
   * exist before the migration use lock-safe recipes (see the README's "Plans").
   */
  unsafePlans?: boolean;
  /**
   * `server_version_num` of the server the migration is for, when known (e.g. 170006): chooses SQL
   * only newer servers run (PostgreSQL 17's SET EXPRESSION). Unknown: SQL every supported server runs.
   */
  serverVersionNum?: number;
}

/**
 * Compares two snapshots: the typed changes, the ordered SQL to go from `prev` to `next` (`up`) and
 * back (`down`) as the parts of one migration, their hazards, the lock-safe recipes used, the table
 * rewrites to ask about, and warnings about what a down migration cannot restore. Renames are asked
 * of `options.resolver`, never guessed.
 *
 * @example
 * const diff = await diffSnapshots(prev, next, { resolver: hintResolver(['users.name=users.full_name']) });
 * writeFileSync('0001_rename.sql', renderMigration(diff.upParts));
 * writeFileSync('0001_rename.down.sql', renderMigration(diff.downParts));
 */
export async function diffSnapshots(prev: Snapshot, next: Snapshot, options: DiffOptions = {}): Promise<Diff> {
  const renames = await resolveRenames(prev, next, options.resolver ?? noRenameResolver);
  return diffWithRenames(prev, next, renames, {
    unsafePlans: options.unsafePlans ?? false,
    ...(options.serverVersionNum ? { serverMajor: Math.floor(options.serverVersionNum / 10_000) } : {}),
  });
}

interface Stage {
  from: Snapshot;
  to: Snapshot;
  renames: Renames;
  reason?: string;
}

/** `diffSnapshots` once the renames are known (synchronous). */
export function diffWithRenames(prev: Snapshot, next: Snapshot, renames: Renames, options: { unsafePlans: boolean; serverMajor?: number } = { unsafePlans: false }): Diff {
  const enumStage = enumAdditionStage(prev, next, renames);
  const stages: Stage[] = [];
  let from = prev;
  if (enumStage) {
    stages.push({ from, to: enumStage, renames: NO_RENAMES, reason: 'new enum values are committed before the next part uses them' });
    from = enumStage;
  }
  stages.push({ from, to: next, renames });

  const upParts: MigrationPart[] = [];
  const downStages: MigrationPart[][] = [];
  const changes: Change[] = [];
  const downChanges: Change[] = [];
  const plans: PlanNote[] = [];
  const lockSafe = !options.unsafePlans;
  for (const s of stages) {
    const server = options.serverMajor !== undefined ? { serverMajor: options.serverMajor } : {};
    const up = computeChanges(s.from, s.to, s.renames, { concurrently: true, enumAdditions: 'in-place', ...server });
    if (up.length === 0) continue;
    const down = computeChanges(s.to, s.from, invertRenames(s.renames), { concurrently: true, enumAdditions: 'rebuild-if-used', ...server });
    changes.push(...up);
    downChanges.push(...down);
    const parts = planParts(up, 'up', lockSafe, plans);
    // A stage of its own (new enum values) says why on its first part.
    if (s.reason && parts[0]) parts[0] = { ...parts[0], reason: s.reason };
    upParts.push(...parts);
    downStages.push(planParts(down, 'down', lockSafe, []));
  }
  const downParts = downStages.reverse().flat();
  const upAll = statementsOf(upParts);
  const hazards: Hazard[] = [];
  for (const s of upAll) if (s.hazards.length > 0) hazards.push(...s.hazards);
  return {
    changes,
    up: upAll,
    down: statementsOf(downParts),
    upParts,
    downParts,
    hazards,
    warnings: [...upWarnings(changes), ...downWarnings(downChanges)],
    plans,
    rewrites: rewritesOf(changes),
    renames: describeRenames(renames),
  };
}

// concat, not flatMap: flatMap is slow on cold code, and a big migration has thousands of statements.
const statementsOf = (parts: readonly MigrationPart[]): Statement[] => ([] as Statement[]).concat(...parts.map((p) => p.statements));

/** Type changes that rewrite a table holding rows under an exclusive lock: no lock-safe recipe exists. */
function rewritesOf(changes: Change[]): Rewrite[] {
  const out: Rewrite[] = [];
  for (const c of changes) {
    if (c.kind !== 'alter-column-type' || !(c.enumRebuild || rewritesTable(c.from, c.to))) continue;
    const from = typeSql(c.from, { base: true });
    const to = typeSql(c.to, { base: true });
    out.push({
      table: c.table, column: c.column, from, to,
      message: `changing ${tableName(c.table)}.${quoteIdent(c.column)} from ${from} to ${to} rewrites ${tableName(c.table)} and its indexes, blocking writes for the whole rewrite`,
    });
  }
  return out;
}

const tableName = (t: { schema: string; name: string }) => qualify(t.schema, t.name);

function upWarnings(changes: Change[]): string[] {
  const out: string[] = [];
  for (const c of changes) {
    if (c.kind === 'drop-table' && c.reason === undefined) {
      out.push(`table ${tableName(c.table)} is dropped: the down migration recreates it empty (its rows are not restored)`);
    } else if (c.kind === 'drop-column' && c.reason === undefined && c.column.generated === undefined) {
      const col = `${tableName(c.table)}.${quoteIdent(c.column.name)}`;
      const filled = c.column.identity !== undefined || serialKind(c.column.type) !== undefined || c.column.default !== undefined;
      out.push(`column ${col} is dropped: the down migration adds it back empty (its values are not restored)` +
        (c.column.notNull && !filled ? '; being NOT NULL without a default, it stops if the table holds rows' : ''));
    }
  }
  return out;
}

function downWarnings(changes: Change[]): string[] {
  const out: string[] = [];
  const recreated = new Set<string>();
  for (const c of changes) if (c.kind === 'create-table') recreated.add(tableName(c.table));
  for (const c of changes) {
    if (c.kind === 'add-foreign-key' && !c.newTable && recreated.has(qualify(c.foreignKey.foreignSchema, c.foreignKey.foreignTable))) {
      out.push(`the down migration adds foreign key ${quoteIdent(c.foreignKey.name)} of ${tableName(c.table)} back to a table it recreates empty: it stops if ${tableName(c.table)} holds rows referencing it`);
    }
    const col = 'column' in c && typeof c.column === 'string' ? `${tableName(c.table)}.${quoteIdent(c.column)}` : '';
    if (c.kind === 'alter-column-type' && (c.enumRebuild || !isSafeWidening(c.from, c.to))) {
      out.push(`the down migration stops if ${col} holds a value its old type cannot take`);
    } else if (c.kind === 'set-not-null') {
      out.push(`the down migration stops if ${col} holds NULL`);
    }
  }
  return out;
}

/**
 * The statements that build a whole snapshot on an empty database (`= diff(empty, snapshot).up`),
 * for normalising a snapshot on a real server and for restoring a schema.
 *
 * @example
 * for (const s of createSnapshotSql(snapshot)) await db.exec(s.sql);
 */
export function createSnapshotSql(snapshot: Snapshot): Statement[] {
  const empty: Snapshot = {
    version: SNAPSHOT_VERSION, dialect: 'postgresql', schemas: snapshot.schemas.public ? { public: emptySchema('public') } : {},
  };
  return planStatements(computeChanges(empty, snapshot, NO_RENAMES, { concurrently: false, enumAdditions: 'in-place' }), 'up');
}
