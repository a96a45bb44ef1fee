/** The kinds of object the differ asks about renaming. */
export type RenameKind = 'schema' | 'table' | 'column' | 'enum' | 'view';

/** One object that exists on one side of the diff only. */
export interface RenameCandidate {
  kind: RenameKind;
  /** Fully qualified dotted path: `[schema]`, `[schema, name]` (table, enum, view) or `[schema, table, column]`. */
  path: string[];
  /** For views: whether it is a materialized view (a view can only be renamed to a view of the same kind). */
  materialized?: boolean;
}

/**
 * The question asked for one scope: which of the removed objects became which of the added ones?
 * Scopes: all schemas; all tables (of every schema, so a table may move between schemas); all enums;
 * all views; the columns of one table that exists on both sides.
 */
export interface RenameRequest {
  kind: RenameKind;
  /** For columns: the table on the new side, as `[schema, table]`. */
  table?: string[];
  removed: RenameCandidate[];
  added: RenameCandidate[];
}

/** "`from` (removed) is now called `to` (added)". */
export interface RenamePair {
  from: RenameCandidate;
  to: RenameCandidate;
}

/**
 * Decides renames. The differ calls `resolve` once per scope that has both removed and added
 * objects (schemas first, then tables, enums, views, then the columns of each table) and `finish`
 * at the end (to report hints that matched nothing, for example). Objects not paired are dropped
 * and created.
 */
export interface RenameResolver {
  resolve(request: RenameRequest): RenamePair[] | Promise<RenamePair[]>;
  finish?(): void | Promise<void>;
}

/**
 * Answers "not a rename" to everything: removed objects are dropped, added ones created.
 *
 * @example
 * await diffSnapshots(prev, next, { resolver: noRenameResolver });
 */
export const noRenameResolver: RenameResolver = {
  resolve: () => [],
};

/** `public.users.email`, quoted where needed, for messages. */
export function candidateLabel(c: RenameCandidate): string {
  return `${c.kind} ${c.path.map((p) => `"${p.replaceAll('"', '""')}"`).join('.')}`;
}
