import { StrataError } from '@strata/core';
import type { Statement } from './types.js';

export const NO_TRANSACTION_MARKER = '-- strata:no-transaction';
export const STATEMENT_BREAKPOINT = '--> statement-breakpoint';

/** A comment may hold object names: newlines in them must not end the comment. */
const commentLines = (text: string) => `-- ${text.replace(/[\r\n\u2028\u2029]+/g, ' ')}`;

/**
 * Writes statements as a reviewable migration file: each statement preceded by `-- ` lines for its
 * comment and hazards, statements separated by `--> statement-breakpoint` lines. A file whose
 * statements must run outside a transaction starts with `-- strata:no-transaction`; mixing those
 * with statements that need the migration's transaction is refused (write `diff.parts` separately).
 *
 * @example
 * writeFileSync(file, renderMigration(diff.up));
 */
export function renderMigration(statements: readonly Statement[]): string {
  const outside = statements.filter((s) => !s.transactional);
  if (outside.length > 0 && outside.length < statements.length) {
    throw new StrataError('INTERNAL', 'A migration cannot mix statements that must run outside a transaction with statements that need one', {
      details: outside.map((s) => s.sql.split('\n')[0]!),
      hint: 'Write each of diff.parts as its own migration.',
    });
  }
  const blocks = statements.map((s) => {
    const lines: string[] = [];
    if (s.comment) lines.push(commentLines(s.comment));
    for (const h of s.hazards) lines.push(commentLines(`hazard ${h.kind}: ${h.message}`));
    lines.push(`${s.sql};`);
    return lines.join('\n');
  });
  const header = outside.length > 0 ? `${NO_TRANSACTION_MARKER}\n` : '';
  return blocks.length ? `${header}${blocks.join(`\n${STATEMENT_BREAKPOINT}\n`)}\n` : '';
}
