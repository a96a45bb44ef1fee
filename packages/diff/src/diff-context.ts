import type { Enum, Snapshot, Table, View } from '@strata/schema';
import { RenameMap, refKey, applyRenames, type Renames } from './rename-map.js';
import type { Change, ObjectRef } from './types.js';

export interface ComputeOptions {
  /**
   * The major of the server the SQL is for, when known (push, `generate --url`): PostgreSQL 17+
   * changes a generated expression in place (SET EXPRESSION); otherwise, or unknown, the column is
   * dropped and added again, which every supported server runs.
   */
  serverMajor?: number;
  /** Build indexes whose hint says so with CONCURRENTLY (only ever on tables that already exist). */
  concurrently: boolean;
  /**
   * `'in-place'`: new enum values are always added with ADD VALUE (the caller split the migration
   * where needed); `'rebuild-if-used'`: values used by the same migration are added by rebuilding
   * the type instead, which needs no commit in between (used for down migrations).
   */
  enumAdditions: 'in-place' | 'rebuild-if-used';
}

/** A table present on both sides. */
export interface TablePair {
  /** As the old snapshot has it (old names). */
  orig: Table;
  /** The old table with renames applied: compared with `next` name by name. */
  prev: Table;
  next: Table;
  origRef: ObjectRef;
  ref: ObjectRef;
  key: string;
}

/** What the column pass found, for the passes that rebuild dependants. */
export interface TableEffects {
  /** Columns (new names) whose type changes, enum rebuilds included. */
  typeChanged: Set<string>;
  /** Columns (new names) converted because their enum is rebuilt. */
  enumConverted: Set<string>;
  /** Columns (old names) dropped, generated columns dropped to be added again included. */
  dropped: Set<string>;
  /** Columns (new names) dropped and added again: constraints and indexes on them go with the drop. */
  readded: Set<string>;
}

/** Everything the comparison passes share. */
export class DiffContext {
  readonly map: RenameMap;
  /** The old snapshot with renames applied. */
  readonly pm: Snapshot;
  readonly changes: Change[] = [];
  readonly pairs: TablePair[] = [];
  readonly created: Table[] = [];
  readonly dropped: Table[] = [];
  /** Enums rebuilt (key = new name). */
  readonly rebuilt = new Map<string, { from: Enum; to: Enum; tempName: string }>();
  readonly effects = new Map<string, TableEffects>();
  /**
   * Per table (new-name key), the column sets (`keyColumns`) of the primary key, unique constraints and
   * unique indexes that are dropped: a foreign key referencing exactly one of those sets may use its
   * index and is rebuilt; one referencing another key of the table is left alone.
   */
  readonly keyDropped = new Map<string, Set<string>>();
  readonly origTables = new Map<string, Table>();
  readonly origViews = new Map<string, View>();

  constructor(
    readonly prev: Snapshot,
    readonly next: Snapshot,
    readonly renames: Renames,
    readonly options: ComputeOptions,
  ) {
    this.map = new RenameMap(renames);
    this.pm = applyRenames(prev, this.map);
    for (const t of allOf(prev, 'tables')) {
      const to = this.map.table(t.schema, t.name);
      this.origTables.set(refKey(to.schema, to.name), t);
    }
    for (const v of allOf(prev, 'views')) {
      const to = this.map.view(v.schema, v.name);
      this.origViews.set(refKey(to.schema, to.name), v);
    }
  }

  push(...changes: Change[]): void {
    this.changes.push(...changes);
  }

  effectsOf(key: string): TableEffects {
    let e = this.effects.get(key);
    if (!e) {
      e = { typeChanged: new Set(), enumConverted: new Set(), dropped: new Set(), readded: new Set() };
      this.effects.set(key, e);
    }
    return e;
  }

  /** Names (old and new) of the enums being rebuilt, for finding expressions that use them. */
  rebuiltEnumNames(): Set<string> {
    const names = new Set<string>();
    for (const { from, to } of this.rebuilt.values()) {
      names.add(from.name);
      names.add(to.name);
    }
    return names;
  }
}

type Kind = 'tables' | 'enums' | 'sequences' | 'views';
type Of<K extends Kind> = Snapshot['schemas'][string][K][string];

/** Every object of one kind, sorted by schema then name (so generated SQL is deterministic). */
export function allOf<K extends Kind>(s: Snapshot, kind: K): Of<K>[] {
  return Object.keys(s.schemas).sort().flatMap((name) => {
    const objects = s.schemas[name]![kind] as Record<string, Of<K>>;
    return Object.keys(objects).sort().map((k) => objects[k]!);
  });
}

export function findTable(s: Snapshot, schema: string, name: string): Table | undefined {
  return s.schemas[schema]?.tables[name];
}
