import { qualify, quoteIdent } from '@strata/core';
import { collationSql, typeSql } from './column-type.js';
import type { Column } from '@strata/schema';
import { assertNever, type Change, type Diff, type ObjectRef } from './types.js';

export type ChangeVerb = 'create' | 'alter' | 'rename' | 'drop';

const n = (r: ObjectRef) => qualify(r.schema, r.name);
const col = (t: ObjectRef, c: string) => `${n(t)}.${quoteIdent(c)}`;
// A collation change alone is an alter-column-type too: without it, `type text → text` says nothing.
const typed = (c: Column) => (c.collation ? `${typeSql(c)} ${collationSql(c.collation)}` : typeSql(c));

/** One change as a verb and a short English description. */
export function describeChange(c: Change): { verb: ChangeVerb; text: string } {
  const re = c.reason ? ` (${c.reason})` : '';
  switch (c.kind) {
    case 'create-schema': return { verb: 'create', text: `schema ${quoteIdent(c.schema)}` };
    case 'drop-schema': return { verb: 'drop', text: `schema ${quoteIdent(c.schema)}` };
    case 'rename-schema': return { verb: 'rename', text: `schema ${quoteIdent(c.from)} → ${quoteIdent(c.to)}` };
    case 'create-enum': return { verb: 'create', text: `enum ${n(c.enum)}` };
    case 'drop-enum': return { verb: 'drop', text: `enum ${n(c.enum)}` };
    case 'rename-enum': return { verb: 'rename', text: `enum ${n(c.from)} → ${n(c.to)}` };
    case 'add-enum-value': return { verb: 'alter', text: `enum ${n(c.enum)}: add value ${JSON.stringify(c.value)}` };
    case 'rebuild-enum': return { verb: 'alter', text: `enum ${n(c.to)}: values [${c.from.values.join(', ')}] → [${c.to.values.join(', ')}] (type rebuilt)` };
    case 'finish-enum-rebuild': return { verb: 'drop', text: `old copy ${quoteIdent(c.tempName)} of enum ${n(c.enum)}` };
    case 'create-sequence': return { verb: 'create', text: `sequence ${n(c.sequence)}` };
    case 'drop-sequence': return { verb: 'drop', text: `sequence ${n(c.sequence)}` };
    case 'alter-sequence': return { verb: 'alter', text: `sequence ${n(c.to)}` };
    case 'rename-sequence': return { verb: 'rename', text: `sequence ${qualify(c.schema, c.from)} → ${quoteIdent(c.to)}` };
    case 'create-table': return { verb: 'create', text: `table ${n(c.table)}` };
    case 'drop-table': return { verb: 'drop', text: `table ${n(c.table)}` };
    case 'rename-table': return { verb: 'rename', text: `table ${n(c.from)} → ${n(c.to)}` };
    case 'add-column': return { verb: 'create', text: `column ${col(c.table, c.column.name)} ${typeSql(c.column)}${re}` };
    case 'drop-column': return { verb: 'drop', text: `column ${col(c.table, c.column.name)}${re}` };
    case 'rename-column': return { verb: 'rename', text: `column ${col(c.table, c.from)} → ${quoteIdent(c.to)}` };
    case 'alter-column-type': return { verb: 'alter', text: `column ${col(c.table, c.column)}: type ${typed(c.from)} → ${typed(c.to)}` };
    case 'set-column-default': return { verb: 'alter', text: `column ${col(c.table, c.column)}: default ${c.default}` };
    case 'drop-column-default': return { verb: 'alter', text: `column ${col(c.table, c.column)}: drop default` };
    case 'set-not-null': return { verb: 'alter', text: `column ${col(c.table, c.column)}: set NOT NULL` };
    case 'drop-not-null': return { verb: 'alter', text: `column ${col(c.table, c.column)}: drop NOT NULL` };
    case 'add-identity': return { verb: 'alter', text: `column ${col(c.table, c.column)}: add identity` };
    case 'drop-identity': return { verb: 'alter', text: `column ${col(c.table, c.column)}: drop identity` };
    case 'alter-identity': return { verb: 'alter', text: `column ${col(c.table, c.column)}: identity options` };
    case 'add-serial': return { verb: 'alter', text: `column ${col(c.table, c.column)}: becomes ${c.serialType}` };
    case 'drop-serial': return { verb: 'alter', text: `column ${col(c.table, c.column)}: no longer serial` };
    case 'set-generated-expression': return { verb: 'alter', text: `column ${col(c.table, c.column)}: generated expression changed` };
    case 'drop-generated-expression': return { verb: 'alter', text: `column ${col(c.table, c.column)}: no longer generated` };
    case 'add-primary-key': return { verb: 'create', text: `primary key ${quoteIdent(c.primaryKey.name)} on ${n(c.table)}${re}` };
    case 'drop-primary-key': return { verb: 'drop', text: `primary key ${quoteIdent(c.primaryKey.name)} on ${n(c.table)}${re}` };
    case 'add-unique': return { verb: 'create', text: `unique ${quoteIdent(c.unique.name)} on ${n(c.table)}${re}` };
    case 'drop-unique': return { verb: 'drop', text: `unique ${quoteIdent(c.unique.name)} on ${n(c.table)}${re}` };
    case 'add-check': return { verb: 'create', text: `check ${quoteIdent(c.check.name)} on ${n(c.table)}${re}` };
    case 'drop-check': return { verb: 'drop', text: `check ${quoteIdent(c.check.name)} on ${n(c.table)}${re}` };
    case 'add-foreign-key': return { verb: 'create', text: `foreign key ${quoteIdent(c.foreignKey.name)} on ${n(c.table)}${re}` };
    case 'drop-foreign-key': return { verb: 'drop', text: `foreign key ${quoteIdent(c.foreignKey.name)} on ${n(c.table)}${re}` };
    case 'rename-constraint': return { verb: 'rename', text: `${c.constraint} ${quoteIdent(c.from)} → ${quoteIdent(c.to)} on ${n(c.table)}` };
    case 'create-index': return { verb: 'create', text: `index ${quoteIdent(c.index.name)} on ${n(c.table)}${c.concurrently ? ' (concurrently)' : ''}${re}` };
    case 'drop-index': return { verb: 'drop', text: `index ${quoteIdent(c.index.name)} on ${n(c.table)}${re}` };
    case 'rename-index': return { verb: 'rename', text: `index ${quoteIdent(c.from)} → ${quoteIdent(c.to)} on ${n(c.table)}` };
    case 'create-view': return { verb: 'create', text: `${c.view.materialized ? 'materialized view' : 'view'} ${n(c.view)}${re}` };
    case 'drop-view': return { verb: 'drop', text: `${c.view.materialized ? 'materialized view' : 'view'} ${n(c.view)}${re}` };
    case 'rename-view': return { verb: 'rename', text: `${c.materialized ? 'materialized view' : 'view'} ${n(c.from)} → ${n(c.to)}` };
    case 'enable-rls': return { verb: 'alter', text: `table ${n(c.table)}: enable row level security` };
    case 'disable-rls': return { verb: 'alter', text: `table ${n(c.table)}: disable row level security` };
    case 'create-policy': return { verb: 'create', text: `policy ${quoteIdent(c.policy.name)} on ${n(c.table)}${re}` };
    case 'drop-policy': return { verb: 'drop', text: `policy ${quoteIdent(c.policy.name)} on ${n(c.table)}${re}` };
    case 'rename-policy': return { verb: 'rename', text: `policy ${quoteIdent(c.from)} → ${quoteIdent(c.to)} on ${n(c.table)}` };
    default: return assertNever(c);
  }
}

const MARK: Record<ChangeVerb, string> = { create: '+', alter: '~', rename: '>', drop: '-' };

/**
 * Lines for a human summary of a diff: a count line, one line per change (`+` created, `~` altered,
 * `>` renamed, `-` dropped), then the lock-safe recipes used (`=`, which and why), table rewrites
 * and hazards (`!`) and warnings (`*`).
 *
 * @example
 * for (const line of summarize(diff)) console.error(line);
 */
export function summarize(diff: Diff): string[] {
  if (diff.changes.length === 0) return ['no schema changes'];
  const described = diff.changes.map(describeChange);
  const count = (v: ChangeVerb) => described.filter((d) => d.verb === v).length;
  const lines = [
    `${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'}: ${count('create')} created, ${count('alter')} altered, ${count('rename')} renamed, ${count('drop')} dropped`,
  ];
  for (const verb of ['create', 'alter', 'rename', 'drop'] as const) {
    for (const d of described) if (d.verb === verb) lines.push(`${MARK[verb]} ${d.text}`);
  }
  if (diff.plans.length) {
    lines.push('lock-safe plans:');
    for (const p of diff.plans) lines.push(`= ${p.recipe}: ${p.message}`);
  }
  if (diff.rewrites.length) {
    lines.push('table rewrites (no lock-safe recipe):');
    for (const r of diff.rewrites) lines.push(`! ${r.message}`);
  }
  if (diff.hazards.length) {
    lines.push('hazards:');
    const seen = new Set<string>();
    for (const h of diff.hazards) {
      const line = `! ${h.kind}: ${h.message}`;
      if (!seen.has(line)) lines.push(line);
      seen.add(line);
    }
  }
  if (diff.warnings.length) {
    lines.push('warnings:');
    for (const w of diff.warnings) lines.push(`* ${w}`);
  }
  return lines;
}
