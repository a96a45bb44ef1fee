import type { Node } from '@strata/sql';
import { alterTable, constraintsOf, displayName, qualified, strings, type ColumnDef, type QualifiedName } from '../ast.js';
import { columnTypeOf, formatType, isSerial, isSmallInteger, type ColumnType } from '../column-type.js';
import type { Rule, RuleContext } from '../rule-context.js';

const MAX_IDENTIFIER_BYTES = 63;

/** Column types and names that age badly: on CREATE TABLE, ADD COLUMN and ALTER COLUMN TYPE. */
export const typeRules: Rule = (ctx) => {
  const n = ctx.node;
  if ('CreateStmt' in n) {
    const table = qualified(n.CreateStmt.relation);
    if (!table) return;
    longName(ctx, table.name, 'table', n.CreateStmt.relation?.location);
    const keys = new Set<string>();
    for (const e of n.CreateStmt.tableElts ?? []) {
      if (!('Constraint' in e)) continue;
      const c = e.Constraint;
      if (c.conname) longName(ctx, c.conname, 'constraint', c.location);
      if (c.contype === 'CONSTR_PRIMARY') strings(c.keys).forEach((k) => keys.add(k));
      if (c.contype === 'CONSTR_FOREIGN') strings(c.fk_attrs).forEach((k) => keys.add(k));
    }
    for (const e of n.CreateStmt.tableElts ?? []) if ('ColumnDef' in e) column(ctx, table, e.ColumnDef, keys.has(e.ColumnDef.colname ?? ''));
    return;
  }
  const alter = alterTable(n);
  if (alter) {
    const { table } = alter;
    for (const cmd of alter.cmds) {
      const def: Node | undefined = cmd.def;
      if (cmd.subtype === 'AT_AddColumn' && def && 'ColumnDef' in def) column(ctx, table, def.ColumnDef, false);
      if (cmd.subtype === 'AT_AlterColumnType' && def && 'ColumnDef' in def && def.ColumnDef.typeName) {
        typeWarnings(ctx, `${displayName(table)}.${cmd.name}`, columnTypeOf(def.ColumnDef.typeName), def.ColumnDef.typeName.location);
      }
      if (cmd.subtype === 'AT_AddConstraint' && def && 'Constraint' in def) {
        const k = def.Constraint;
        if (k.conname) longName(ctx, k.conname, 'constraint', k.location);
        if (k.contype === 'CONSTR_FOREIGN' || k.contype === 'CONSTR_PRIMARY') {
          for (const col of strings(k.contype === 'CONSTR_FOREIGN' ? k.fk_attrs : k.keys)) {
            const type = ctx.column(table, col)?.type;
            if (type && isSmallInteger(type)) intKey(ctx, `${displayName(table)}.${col}`, type, k.location);
          }
        }
      }
    }
    return;
  }
  if ('IndexStmt' in n && n.IndexStmt.idxname) longName(ctx, n.IndexStmt.idxname, 'index', n.IndexStmt.relation?.location);
};

function column(ctx: RuleContext, table: QualifiedName, col: ColumnDef, tableKey: boolean): void {
  const name = col.colname ?? '';
  longName(ctx, name, 'column', col.location);
  if (!col.typeName) return;
  const type = columnTypeOf(col.typeName);
  const where = `${displayName(table)}.${name}`;
  typeWarnings(ctx, where, type, col.location);
  const cons = constraintsOf(col.constraints);
  const key = tableKey || isSerial(type) || cons.some((c) => c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_FOREIGN');
  if (key && isSmallInteger(type)) intKey(ctx, where, type, col.location);
  if (isSerial(type)) {
    ctx.report('prefer-identity', 'warning', `${where} is ${formatType(type)}: its sequence is a separate object with its own owner and grants`, {
      location: col.location, hint: 'Use bigint GENERATED ALWAYS AS IDENTITY (drizzle: bigint(…).generatedAlwaysAsIdentity()).',
    });
  }
}

function typeWarnings(ctx: RuleContext, where: string, type: ColumnType, location: number | undefined): void {
  if (type.name === 'varchar' && type.mods.length > 0) {
    ctx.report('varchar-length', 'warning', `${where} is ${formatType(type)}: lowering the limit later rewrites the table, and the limit rarely matches a real rule`, {
      location, hint: 'Use text, with a CHECK (char_length(col) <= n) added NOT VALID if the limit matters.',
    });
  }
  if (type.name === 'bpchar') {
    ctx.report('char-type', 'warning', `${where} is ${formatType(type)}: values are padded with spaces, and it is never faster than text`, { location, hint: 'Use text (or varchar).' });
  }
  if (type.name === 'timestamp') {
    ctx.report('timestamp-without-time-zone', 'warning', `${where} is timestamp without time zone: the value does not say which instant it is`, {
      location, hint: 'Use timestamptz (drizzle: timestamp(…, { withTimezone: true })).',
    });
  }
  if (type.name === 'json') {
    ctx.report('json-column', 'warning', `${where} is json, which has no equality operator: SELECT DISTINCT and GROUP BY on it fail`, { location, hint: 'Use jsonb.' });
  }
}

function intKey(ctx: RuleContext, where: string, type: ColumnType, location: number | undefined): void {
  const max = type.name.endsWith('2') ? '32,767' : '2,147,483,647';
  if (!ctx.once(`int-key ${where}`)) return; // the same column as primary key and as foreign key
  const name = formatType(type);
  ctx.report('int-key', 'warning', `${where} is a${/^[aeiou]/.test(name) ? 'n' : ''} ${name} key: it runs out at ${max}, and widening it later rewrites the table and every table that references it`, {
    location, hint: 'Use bigint (or bigint GENERATED ALWAYS AS IDENTITY) for keys and the columns that reference them.',
  });
}

function longName(ctx: RuleContext, name: string, kind: string, location: number | undefined): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  // The parser has already cut a long name to 63 bytes (on a character boundary): look for the rest in the text.
  const cut = bytes > MAX_IDENTIFIER_BYTES - 4 && new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\p{L}\\p{N}_$]`, 'u').test(ctx.stmt.text);
  if (bytes > MAX_IDENTIFIER_BYTES || cut) {
    ctx.report('identifier-too-long', 'warning', `${kind} name ${name.slice(0, 24)}… is longer than 63 bytes: PostgreSQL cuts it to ${name}`, {
      location, hint: 'Use a name of at most 63 bytes, so that the name in the database is the name in the code.',
    });
  }
}
