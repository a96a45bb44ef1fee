import type { Rewrite } from './types.js';

/**
 * What to tell (or ask) whoever generates a migration that rewrites tables that already exist:
 * the rewrites, and the answers that let it go on. `generate` stops with this (exit 2) without a
 * terminal and asks on one; `push` asks with its usual confirmation.
 *
 * @example
 * const q = rewriteQuestion(diff.rewrites);
 * if (q) throw new StrataError('INPUT_REQUIRED', q.message, { hint: q.hint });
 */
export function rewriteQuestion(rewrites: readonly Rewrite[]): { message: string; hint: string } | null {
  if (rewrites.length === 0) return null;
  const lines = rewrites.map((r) => `  - ${r.message}`).join('\n');
  return {
    message: `this change rewrites ${rewrites.length === 1 ? 'a table that already exists' : 'tables that already exist'}, blocking every write to ${rewrites.length === 1 ? 'it' : 'them'} for the whole rewrite:\n${lines}`,
    hint: 'Pass --multi-step to write it as expand/contract migrations that keep the table writable (a shadow column of the new type, ' +
      'kept in sync and filled in batches, swapped in by the contract; a new type that may refuse a value gets a data guard first; ' +
      'not yet for key, indexed or constrained columns), ' +
      'or --unsafe-plans to write the rewrite anyway when the table is known to be small.',
  };
}
