import { StrataError } from '@strata/core';
import type { MigrationPart, Statement } from './types.js';

/** The legacy first line of a file whose (first) part runs outside a transaction. */
export const NO_TRANSACTION_MARKER = '-- strata:no-transaction';
export const STATEMENT_BREAKPOINT = '--> statement-breakpoint';
/** A line that starts a new part, run in a transaction of its own. */
export const PART_MARKER = '--> strata:part';
/** A line that starts a new part run outside a transaction, each statement on its own. */
export const PART_NO_TRANSACTION_MARKER = '--> strata:part no-transaction';

/** A comment may hold object names: newlines in them must not end the comment. */
const commentLines = (text: string) => `-- ${text.replace(/[\r\n\u2028\u2029]+/g, ' ')}`;

function renderStatements(statements: readonly Statement[]): string {
  return statements.map((s) => {
    const lines: string[] = [];
    if (s.comment) lines.push(commentLines(s.comment));
    for (const h of s.hazards) lines.push(commentLines(`hazard ${h.kind}: ${h.message}`));
    lines.push(`${s.sql};`);
    return lines.join('\n');
  }).join(`\n${STATEMENT_BREAKPOINT}\n`);
}

const isParts = (input: readonly Statement[] | readonly MigrationPart[]): input is readonly MigrationPart[] =>
  input.length > 0 && 'statements' in input[0]!;

/**
 * Writes a reviewable migration file: each statement preceded by `-- ` lines for its comment and
 * hazards, statements separated by `--> statement-breakpoint` lines. Given parts (`diff.upParts`),
 * each part after the first starts with a `--> strata:part` line (`--> strata:part no-transaction`
 * for a part outside a transaction) followed by a `-- ` line saying why; a first part outside a
 * transaction makes the file start with `-- strata:no-transaction`. Given statements, they must all
 * be of one kind (in a transaction or not): mixing them is refused.
 *
 * @example
 * writeFileSync(file, renderMigration(diff.upParts));
 */
export function renderMigration(input: readonly Statement[] | readonly MigrationPart[]): string {
  if (input.length === 0) return '';
  if (!isParts(input)) {
    const outside = input.filter((s) => !s.transactional);
    if (outside.length > 0 && outside.length < input.length) {
      throw new StrataError('INTERNAL', 'A list of statements cannot mix statements that must run outside a transaction with statements that need one', {
        details: outside.map((s) => s.sql.split('\n')[0]!),
        hint: 'Render diff.upParts (a migration split into parts) instead.',
      });
    }
    return renderMigration([{ statements: [...input], transactional: outside.length === 0 }]);
  }
  const blocks = input.filter((p) => p.statements.length > 0).map((p, i) => {
    const body = renderStatements(p.statements);
    if (i === 0) return p.transactional ? body : `${NO_TRANSACTION_MARKER}\n${body}`;
    const reason = p.reason ? `${commentLines(`part ${i + 1}: ${p.reason}`)}\n` : '';
    return `${p.transactional ? PART_MARKER : PART_NO_TRANSACTION_MARKER}\n${reason}${body}`;
  });
  return blocks.length ? `${blocks.join('\n')}\n` : '';
}
