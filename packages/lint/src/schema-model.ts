import type { Node } from '@strata/sql';
import { alterTable, constraintsOf, keyOf, qualified, qualifiedFromList, strings, type ColumnDef, type Constraint, type QualifiedName } from './ast.js';
import { columnTypeOf, type ColumnType } from './column-type.js';

export interface ColumnModel {
  type: ColumnType | null;
  notNull: boolean;
}

export interface TableModel {
  name: QualifiedName;
  /** Index of the migration that created it; -1 when it existed before every migration read. */
  origin: number;
  columns: Map<string, ColumnModel>;
}

/** A CHECK constraint the model follows: `CHECK (col IS NOT NULL)` for the SET NOT NULL recipe. */
interface CheckModel {
  column: string | null;
  validated: boolean;
  /** Where it was added: migration and part. */
  addedIn: { migration: number; part: number };
}

/** Where a statement runs: which migration, which part. */
export interface Position {
  migration: number;
  part: number;
}

/**
 * What the migrations read so far have built: tables with their columns, indexes, CHECK
 * constraints. Fed statement by statement, so each rule sees the schema as it is before the
 * statement runs; `adopt` brings in a table the database has.
 */
export class SchemaModel {
  readonly tables = new Map<string, TableModel>();
  readonly indexes = new Map<string, { table: QualifiedName; columns: string[]; origin: number }>();
  private readonly checks = new Map<string, CheckModel>();

  table(q: QualifiedName): TableModel | undefined {
    return this.tables.get(keyOf(q));
  }

  /** Adds a table the database has, unless the model already follows it. */
  adopt(q: QualifiedName, columns: Map<string, ColumnModel>): void {
    if (!this.tables.has(keyOf(q))) this.tables.set(keyOf(q), { name: q, origin: -1, columns: new Map(columns) });
  }

  column(q: QualifiedName, column: string): ColumnModel | undefined {
    return this.table(q)?.columns.get(column);
  }

  /** The CHECK constraint added under `name` on table `q`, if the model saw it. */
  check(q: QualifiedName, name: string): CheckModel | undefined {
    return this.checks.get(`${keyOf(q)}\u0000${name}`);
  }

  /** True when a validated `CHECK (column IS NOT NULL)` on the column is known. */
  hasValidatedNotNullCheck(q: QualifiedName, column: string): boolean {
    const prefix = `${keyOf(q)}\u0000`;
    for (const [k, c] of this.checks) if (k.startsWith(prefix) && c.column === column && c.validated) return true;
    return false;
  }

  /** Applies one statement's effect on the schema. */
  apply(node: Node, at: Position): void {
    if ('CreateStmt' in node) {
      const q = qualified(node.CreateStmt.relation);
      if (!q) return;
      const columns = new Map<string, ColumnModel>();
      const pk: string[] = [];
      for (const e of node.CreateStmt.tableElts ?? []) {
        if ('ColumnDef' in e) columns.set(e.ColumnDef.colname ?? '', columnModel(e.ColumnDef));
        if ('Constraint' in e && e.Constraint.contype === 'CONSTR_PRIMARY') pk.push(...strings(e.Constraint.keys));
      }
      for (const c of pk) { const m = columns.get(c); if (m) m.notNull = true; }
      this.tables.set(keyOf(q), { name: q, origin: at.migration, columns });
      return;
    }
    if ('CreateTableAsStmt' in node) {
      const q = qualified(node.CreateTableAsStmt.into?.rel);
      if (q && node.CreateTableAsStmt.objtype === 'OBJECT_TABLE') this.tables.set(keyOf(q), { name: q, origin: at.migration, columns: new Map() });
      return;
    }
    if ('IndexStmt' in node) {
      const s = node.IndexStmt;
      const table = qualified(s.relation);
      if (!table || !s.idxname) return;
      const columns = (s.indexParams ?? []).flatMap((p) => ('IndexElem' in p && p.IndexElem.name ? [p.IndexElem.name] : []));
      this.indexes.set(keyOf({ schema: table.schema, name: s.idxname }), { table, columns, origin: at.migration });
      return;
    }
    if ('AlterTableStmt' in node) {
      const alter = alterTable(node);
      for (const cmd of alter?.cmds ?? []) this.applyCmd(alter!.table, cmd, at);
      return;
    }
    if ('RenameStmt' in node) {
      const s = node.RenameStmt;
      const q = qualified(s.relation);
      if (!q || !s.newname) return;
      const t = this.table(q);
      if (s.renameType === 'OBJECT_TABLE' && t) {
        this.tables.delete(keyOf(q));
        t.name = { schema: q.schema, name: s.newname };
        this.tables.set(keyOf(t.name), t);
      } else if (s.renameType === 'OBJECT_COLUMN' && t && s.subname) {
        const col = t.columns.get(s.subname);
        t.columns.delete(s.subname);
        if (col) t.columns.set(s.newname, col);
      }
      return;
    }
    if ('DropStmt' in node && node.DropStmt.removeType === 'OBJECT_TABLE') {
      for (const o of node.DropStmt.objects ?? []) {
        const q = 'List' in o ? qualifiedFromList(o.List.items) : null;
        if (q) this.tables.delete(keyOf(q));
      }
    }
  }

  private applyCmd(q: QualifiedName, cmd: NonNullable<Extract<Node, { AlterTableCmd: unknown }>['AlterTableCmd']>, at: Position): void {
    // A table no migration read creates (and no database described) still gets what the migration
    // does to it: a later statement may rely on a SET NOT NULL or a new column.
    let t = this.table(q);
    if (!t) {
      t = { name: q, origin: -1, columns: new Map() };
      this.tables.set(keyOf(q), t);
    }
    const def = cmd.def;
    switch (cmd.subtype) {
      case 'AT_AddColumn':
        if (t && def && 'ColumnDef' in def) t.columns.set(def.ColumnDef.colname ?? '', columnModel(def.ColumnDef));
        return;
      case 'AT_DropColumn':
        if (cmd.name) t?.columns.delete(cmd.name);
        return;
      case 'AT_AlterColumnType': {
        const col = cmd.name ? t?.columns.get(cmd.name) : undefined;
        if (col && def && 'ColumnDef' in def && def.ColumnDef.typeName) col.type = columnTypeOf(def.ColumnDef.typeName);
        return;
      }
      case 'AT_SetNotNull':
        if (cmd.name) t.columns.set(cmd.name, { type: t.columns.get(cmd.name)?.type ?? null, notNull: true });
        return;
      case 'AT_DropNotNull': {
        const col = cmd.name ? t?.columns.get(cmd.name) : undefined;
        if (col) col.notNull = false;
        return;
      }
      case 'AT_AddConstraint':
        if (def && 'Constraint' in def) this.addConstraint(q, def.Constraint, at);
        return;
      case 'AT_ValidateConstraint': {
        const c = cmd.name ? this.check(q, cmd.name) : undefined;
        if (c) c.validated = true;
        return;
      }
      case 'AT_DropConstraint':
        if (cmd.name) this.checks.delete(`${keyOf(q)}\u0000${cmd.name}`);
        return;
      default:
        return;
    }
  }

  private addConstraint(q: QualifiedName, c: Constraint, at: Position): void {
    if (c.contype === 'CONSTR_CHECK' && c.conname) {
      this.checks.set(`${keyOf(q)}\u0000${c.conname}`, { column: notNullCheckColumn(c), validated: !c.skip_validation, addedIn: at });
    }
    if (c.contype === 'CONSTR_PRIMARY') {
      const t = this.table(q);
      const cols = c.indexname ? (this.indexes.get(keyOf({ schema: q.schema, name: c.indexname }))?.columns ?? []) : strings(c.keys);
      for (const name of cols) { const col = t?.columns.get(name); if (col) col.notNull = true; }
    }
  }
}

/** The column of `CHECK (col IS NOT NULL)`, or null for any other check. */
export function notNullCheckColumn(c: Constraint): string | null {
  const e = c.raw_expr;
  if (!e || !('NullTest' in e) || e.NullTest.nulltesttype !== 'IS_NOT_NULL') return null;
  const arg = e.NullTest.arg;
  if (!arg || !('ColumnRef' in arg)) return null;
  return strings(arg.ColumnRef.fields).at(-1) ?? null;
}

function columnModel(def: ColumnDef): ColumnModel {
  const cons = constraintsOf(def.constraints);
  const type = def.typeName ? columnTypeOf(def.typeName) : null;
  const notNull = cons.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_IDENTITY') || type?.name.startsWith('serial') === true;
  return { type, notNull };
}
