import type { Node } from '@strata/sql';
import { alterTable, displayName, qualified, qualifiedFromList, strings } from '../ast.js';
import type { Rule, RuleContext } from '../rule-context.js';

const OBJECT_WORDS: Record<string, string> = {
  OBJECT_VIEW: 'view', OBJECT_MATVIEW: 'materialized view', OBJECT_SEQUENCE: 'sequence', OBJECT_TYPE: 'type', OBJECT_DOMAIN: 'domain',
  OBJECT_SCHEMA: 'schema', OBJECT_FUNCTION: 'function', OBJECT_PROCEDURE: 'procedure', OBJECT_EXTENSION: 'extension',
};

/** Drops and renames that break the application code running while the migration applies. */
export const breakingRules: Rule = (ctx) => {
  const n = ctx.node;
  if ('AlterTableStmt' in n) {
    const alter = alterTable(n);
    if (!alter) return;
    const { table } = alter;
    for (const cmd of alter.cmds) {
      if (cmd.subtype === 'AT_DropColumn' && cmd.name) {
        ctx.breaking('drop-column', table, `dropping column ${displayName(table)}.${cmd.name} breaks code that still reads or writes it`, {
          location: alter.location, hint: 'Stop using the column in the application and deploy that first; then drop it, with `-- strata:ignore drop-column <why it is safe>` above the statement.',
        });
      }
    }
    return;
  }
  if ('RenameStmt' in n) {
    const s = n.RenameStmt;
    const rel = qualified(s.relation);
    const hint = 'Renames break the running release: add the new name beside the old (a view, or a new column kept in sync), move the code, then drop the old.';
    if (s.renameType === 'OBJECT_COLUMN' && rel) {
      ctx.breaking('rename-column', rel, `renaming column ${displayName(rel)}.${s.subname} to ${s.newname} breaks code that uses the old name`, { location: s.relation?.location, hint });
    } else if (s.renameType === 'OBJECT_TABLE' && rel) {
      ctx.breaking('rename-table', rel, `renaming table ${displayName(rel)} to ${s.newname} breaks code that uses the old name`, { location: s.relation?.location, hint });
    } else if (OBJECT_WORDS[s.renameType ?? '']) {
      const name = rel ? displayName(rel) : objectName(s.object) ?? s.subname ?? '';
      ctx.report('rename-object', 'warning', `renaming ${OBJECT_WORDS[s.renameType!]} ${name} to ${s.newname} breaks code that uses the old name`, { location: s.relation?.location, hint });
    }
    return;
  }
  if ('AlterObjectSchemaStmt' in n) {
    const s = n.AlterObjectSchemaStmt;
    const rel = qualified(s.relation);
    const message = `moving ${rel ? displayName(rel) : (objectName(s.object) ?? 'an object')} to schema ${s.newschema} breaks code that names it`;
    if (rel && s.objectType === 'OBJECT_TABLE') ctx.breaking('set-schema', rel, message, { location: s.relation?.location });
    else ctx.report('set-schema', 'warning', message, { location: s.relation?.location });
    return;
  }
  if ('DropStmt' in n) {
    const s = n.DropStmt;
    if (s.removeType === 'OBJECT_TABLE') {
      for (const o of s.objects ?? []) {
        const q = 'List' in o ? qualifiedFromList(o.List.items) : null;
        if (q) ctx.breaking('drop-table', q, `dropping table ${displayName(q)} breaks code that still uses it and deletes its rows`, {
          hint: 'Stop using the table in the application and deploy that first (and back it up); then drop it, with `-- strata:ignore drop-table <why it is safe>`.',
        });
      }
      return;
    }
    const word = OBJECT_WORDS[s.removeType ?? ''];
    if (!word) return;
    for (const o of s.objects ?? []) {
      const name = objectName(o);
      if (name === null || recreatedLater(ctx, name)) continue;
      ctx.report('drop-object', 'warning', `dropping ${word} ${name} breaks code that still uses it`, { hint: 'Stop using it in the application and deploy that first.' });
    }
    return;
  }
  if ('DropdbStmt' in n) {
    ctx.report('drop-database', 'error', `DROP DATABASE ${n.DropdbStmt.dbname ?? ''} does not belong in a migration`, { hint: 'Drop databases by hand, never from a migration.' });
    return;
  }
  if ('TruncateStmt' in n && n.TruncateStmt.behavior === 'DROP_CASCADE') {
    ctx.report('truncate-cascade', 'error', 'TRUNCATE … CASCADE also empties every table with a foreign key to these, however far down', {
      hint: 'Name every table to truncate, without CASCADE.',
    });
  }
};

/** A dotted name of a DROP/RENAME object node (`List` of strings, or one `String`). */
function objectName(o: Node | undefined): string | null {
  if (!o) return null;
  if ('String' in o) return o.String.sval ?? null;
  if ('List' in o) return strings(o.List.items).join('.') || null;
  if ('ObjectWithArgs' in o) return strings(o.ObjectWithArgs.objname).join('.') || null;
  if ('TypeName' in o) return strings(o.TypeName.names).join('.') || null;
  return null;
}

/** True when a later statement of the same migration creates an object of this name again (a drop-and-create). */
function recreatedLater(ctx: RuleContext, name: string): boolean {
  const last = name.split('.').at(-1)!;
  return ctx.migration.statements.some((s) => s.index > ctx.stmt.index && createdName(s.node) === last);
}

function createdName(n: Node): string | null {
  if ('ViewStmt' in n) return n.ViewStmt.view?.relname ?? null;
  if ('CreateTableAsStmt' in n) return n.CreateTableAsStmt.into?.rel?.relname ?? null;
  if ('CreateSeqStmt' in n) return n.CreateSeqStmt.sequence?.relname ?? null;
  if ('CreateEnumStmt' in n) return strings(n.CreateEnumStmt.typeName).at(-1) ?? null;
  if ('CompositeTypeStmt' in n) return n.CompositeTypeStmt.typevar?.relname ?? null;
  if ('CreateDomainStmt' in n) return strings(n.CreateDomainStmt.domainname).at(-1) ?? null;
  if ('CreateFunctionStmt' in n) return strings(n.CreateFunctionStmt.funcname).at(-1) ?? null;
  if ('CreateSchemaStmt' in n) return n.CreateSchemaStmt.schemaname ?? null;
  if ('CreateExtensionStmt' in n) return n.CreateExtensionStmt.extname ?? null;
  return null;
}
