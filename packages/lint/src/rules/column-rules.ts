import { alterTable, calledFunctions, constraintsOf, displayName, strings, type ColumnDef, type QualifiedName } from '../ast.js';
import { columnTypeOf, formatType, isSerial } from '../column-type.js';
import type { Rule, RuleContext } from '../rule-context.js';
import { typeChangeEffect } from '../type-change.js';
import { defaultVolatility } from '../volatility.js';

/** Column changes that rewrite or fail on an existing table: volatile defaults, generated, serial, required, type changes. */
export const columnRules: Rule = (ctx) => {
  const alter = alterTable(ctx.node);
  if (!alter) return;
  const { table } = alter;
  for (const cmd of alter.cmds) {
    const def = cmd.def;
    switch (cmd.subtype) {
      case 'AT_AddColumn':
        if (def && 'ColumnDef' in def) addedColumn(ctx, table, def.ColumnDef);
        break;
      case 'AT_AlterColumnType':
        if (cmd.name && def && 'ColumnDef' in def && def.ColumnDef.typeName) {
          const to = columnTypeOf(def.ColumnDef.typeName);
          const from = ctx.column(table, cmd.name)?.type ?? null;
          const using = def.ColumnDef.raw_default !== undefined && !isPlainUsing(def.ColumnDef.raw_default, cmd.name);
          const effect = typeChangeEffect(from, to, using);
          if (effect !== 'metadata') {
            const change = from ? `${formatType(from)} → ${formatType(to)}` : `to ${formatType(to)} (the old type is not known here)`;
            ctx.blocking('column-type-rewrite', table, `changing ${cmd.name} ${change}${using ? ' with USING' : ''} rewrites ${displayName(table)} and its indexes under an ACCESS EXCLUSIVE lock`, {
              location: def.ColumnDef.typeName.location,
              hint: 'Add a new column, write to both, backfill in batches, switch reads, then drop the old one (`strata generate --multi-step`). Binary-coercible changes (varchar(n) → varchar(m ≥ n), varchar → text, numeric(p,s) → numeric(q ≥ p,s)) need no rewrite.',
            });
          }
        }
        break;
      case 'AT_DropNotNull':
        if (cmd.name && ctx.tableState(table).kind !== 'new') {
          ctx.report('drop-not-null', 'warning', `DROP NOT NULL on ${displayName(table)}.${cmd.name} lets NULLs in that running code (and the previous release, after a rollback) may not handle`, {
            location: alter.location, hint: 'Make sure every reader handles NULL before the column accepts it.',
          });
        }
        break;
      default:
        break;
    }
  }
};

function addedColumn(ctx: RuleContext, table: QualifiedName, col: ColumnDef): void {
  const name = col.colname ?? '';
  const cons = constraintsOf(col.constraints);
  const type = col.typeName ? columnTypeOf(col.typeName) : null;
  const def = cons.find((k) => k.contype === 'CONSTR_DEFAULT');
  const generated = cons.find((k) => k.contype === 'CONSTR_GENERATED');
  const identity = cons.find((k) => k.contype === 'CONSTR_IDENTITY');
  const location = col.location;
  if (def?.raw_expr) {
    const v = defaultVolatility(calledFunctions(def.raw_expr), ctx.facts?.functions);
    if (v.volatile) {
      ctx.blocking('volatile-default', table, `ADD COLUMN ${name} with the ${v.unknown ? 'possibly ' : ''}volatile default ${v.culprit}() rewrites ${displayName(table)} under an ACCESS EXCLUSIVE lock`, {
        location: def.location,
        hint: 'Add the column without a default, SET DEFAULT, fill existing rows in batches (a data migration), then make it NOT NULL with the CHECK recipe.',
      });
    }
  }
  if (generated && generated.generated_kind !== 'v') {
    ctx.blocking('stored-generated-column', table, `ADD COLUMN ${name} GENERATED … STORED computes every row: a rewrite of ${displayName(table)} under an ACCESS EXCLUSIVE lock`, {
      location: generated.location, hint: 'Add a plain column, fill it in batches and keep it current with a trigger (or compute it in queries).',
    });
  }
  if (identity || (type && isSerial(type))) {
    ctx.blocking('auto-increment-column', table, `ADD COLUMN ${name} ${identity ? 'GENERATED … AS IDENTITY' : type ? formatType(type) : ''} numbers every existing row: a rewrite of ${displayName(table)}`, {
      location, hint: 'Add a nullable column with a sequence default set after the ADD, fill existing rows in batches, then make it NOT NULL with the CHECK recipe.',
    });
  }
  const notNull = cons.some((k) => k.contype === 'CONSTR_NOTNULL' || k.contype === 'CONSTR_PRIMARY');
  if (notNull && !def && !generated && !identity && !(type && isSerial(type))) {
    ctx.blocking('adding-required-column', table, `ADD COLUMN ${name} NOT NULL without a default fails when ${displayName(table)} has rows`, {
      location, hint: 'Add it with a (non-volatile) DEFAULT, or nullable, fill it, then SET NOT NULL with the CHECK recipe.',
    });
  }
}

/** `USING col` or `USING col::type`: the plain conversion, which PostgreSQL can still skip the rewrite for. */
function isPlainUsing(expr: object, column: string): boolean {
  let e = expr as Record<string, unknown>;
  if ('TypeCast' in e) e = (e.TypeCast as { arg: Record<string, unknown> }).arg;
  if (!('ColumnRef' in e)) return false;
  return strings((e.ColumnRef as { fields: never[] }).fields).at(-1) === column;
}
