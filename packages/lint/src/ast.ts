import type { Node } from '@strata/sql';

/** The payload of one node kind of PostgreSQL's syntax tree, e.g. `NodeOf<'IndexStmt'>`. */
export type NodeOf<K extends string> = Node extends infer N ? (N extends Record<K, infer P> ? P : never) : never;

export type IndexStmt = NodeOf<'IndexStmt'>;
export type AlterTableStmt = NodeOf<'AlterTableStmt'>;
export type AlterTableCmd = NodeOf<'AlterTableCmd'>;
export type ColumnDef = NodeOf<'ColumnDef'>;
export type Constraint = NodeOf<'Constraint'>;
export type TypeName = NodeOf<'TypeName'>;
export type RangeVar = NodeOf<'RangeVar'>;
export type CreateStmt = NodeOf<'CreateStmt'>;

/** A table (or index, view…) name with its schema; unqualified names are in `public` (the runner pins search_path). */
export interface QualifiedName {
  schema: string;
  name: string;
}

/** `schema.name`, quoted only where needed, for messages. */
export function displayName(q: QualifiedName): string {
  const part = (s: string) => (/^[a-z_][a-z0-9_$]*$/.test(s) ? s : `"${s.replaceAll('"', '""')}"`);
  return q.schema === 'public' ? part(q.name) : `${part(q.schema)}.${part(q.name)}`;
}

/** A stable map key for a qualified name. */
export function keyOf(q: QualifiedName): string {
  return `${q.schema}\u0000${q.name}`;
}

export function qualified(r: { schemaname?: string; relname?: string } | undefined): QualifiedName | null {
  if (!r?.relname) return null;
  return { schema: r.schemaname ?? 'public', name: r.relname };
}

/** The strings of a `[{ String: { sval } }, …]` list (names, column lists). */
export function strings(list: readonly Node[] | undefined): string[] {
  const out: string[] = [];
  for (const n of list ?? []) if ('String' in n) out.push(n.String.sval ?? '');
  return out;
}

/** A dotted name list (`['s', 't']`) as a qualified name. */
export function qualifiedFromList(list: readonly Node[] | undefined): QualifiedName | null {
  const parts = strings(list);
  if (parts.length === 0) return null;
  return parts.length === 1 ? { schema: 'public', name: parts[0]! } : { schema: parts[parts.length - 2]!, name: parts[parts.length - 1]! };
}

/** The constraints among a list of nodes. */
export function constraintsOf(list: readonly Node[] | undefined): Constraint[] {
  const out: Constraint[] = [];
  for (const n of list ?? []) if ('Constraint' in n) out.push(n.Constraint);
  return out;
}

/** The first `location` (byte offset in the parsed text) found in a subtree, or undefined. */
export function locationOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const loc = (value as { location?: unknown }).location;
  if (typeof loc === 'number' && loc >= 0) return loc;
  for (const v of Object.values(value)) {
    const found = locationOf(v);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Calls `fn` on every object of a subtree (depth first), e.g. to find function calls in an expression. */
export function walk(value: unknown, fn: (key: string, node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, fn);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) fn(k, v as Record<string, unknown>);
    walk(v, fn);
  }
}

/** Names of the functions an expression calls (last name part, lower case as parsed). */
export function calledFunctions(expr: unknown): string[] {
  const out: string[] = [];
  walk(expr, (k, n) => {
    if (k === 'FuncCall') out.push(strings(n.funcname as Node[] | undefined).at(-1) ?? '');
  });
  return out;
}

/** The table an `ALTER TABLE` names, its commands, and where the table name stands (for findings). */
export interface AlterTable {
  table: QualifiedName;
  cmds: AlterTableCmd[];
  location: number | undefined;
}

/**
 * An `ALTER TABLE` statement's table and commands, or null for any other statement (or one whose
 * table has no name): the one walk every rule over `ALTER TABLE` starts with.
 *
 * @example
 * const alter = alterTable(ctx.node);
 * for (const cmd of alter?.cmds ?? []) if (cmd.subtype === 'AT_DropColumn') …
 */
export function alterTable(node: Node): AlterTable | null {
  if (!('AlterTableStmt' in node)) return null;
  const s = node.AlterTableStmt;
  const table = qualified(s.relation);
  if (!table) return null;
  const cmds: AlterTableCmd[] = [];
  for (const c of s.cmds ?? []) if ('AlterTableCmd' in c) cmds.push(c.AlterTableCmd);
  return { table, cmds, location: s.relation?.location };
}
