import type { Queryable } from './client.js';

/**
 * Runs `statements` as one multi-statement query inside a savepoint taken in the same round trip
 * (so `tx` must be in a transaction), after `prelude` when given. Returns false when any
 * statement fails, with the savepoint rolled back so nothing they did remains: the caller then
 * runs them one at a time to name the one at fault. A big migration is thousands of statements,
 * and a round trip for each costs more than PostgreSQL running them. Each statement keeps its
 * own `statement_timeout` (PostgreSQL 13+). Throws only when `prelude` itself fails.
 *
 * @example
 * if (!(await execBatch(tx, statements))) for (const sql of statements) await tx.exec(sql);
 */
export async function execBatch(tx: Queryable, statements: readonly string[], prelude = ''): Promise<boolean> {
  return (await tryBatch(tx, statements, prelude)).ok;
}

/**
 * `execBatch`, telling why the batch failed: the error of the statement that stopped it (e.g. a
 * lock timeout, which the caller may retry rather than run the statements one at a time).
 *
 * @example
 * const r = await tryBatch(tx, statements);
 * if (!r.ok && (r.error as { pg?: { code?: string } }).pg?.code === '55P03') … // retry
 */
export async function tryBatch(tx: Queryable, statements: readonly string[], prelude = ''): Promise<{ ok: true } | { ok: false; error: unknown }> {
  const body = batchText(statements);
  try {
    await tx.exec(`${prelude ? `${prelude};\n` : ''}SAVEPOINT strata_batch;\n${body}RELEASE SAVEPOINT strata_batch`);
    return { ok: true };
  } catch (e) {
    try {
      await tx.exec('ROLLBACK TO SAVEPOINT strata_batch; RELEASE SAVEPOINT strata_batch');
    } catch {
      throw e; // the prelude failed, before the savepoint was taken: that is the error to report
    }
    return { ok: false, error: e };
  }
}

/**
 * Statements as the text of one multi-statement query, each ended by `;` on a line of its own:
 * a statement may end in a `--` comment, which would swallow a `;` on its line.
 *
 * @example
 * await session.exec(`BEGIN;\n${batchText(statements)}COMMIT`);
 */
export function batchText(statements: readonly string[]): string {
  return statements.map((sql) => `${sql}\n;\n`).join('');
}
