import type { QueryOptions, QueryResult, Queryable, Row, Session } from './client.js';

/**
 * Turns one raw connection into a `Session`: transactions as BEGIN/COMMIT, nested ones as
 * savepoints. Shared by both drivers so transaction semantics are identical.
 */
export class PinnedSession implements Session {
  #depth = 0;
  #savepointSeq = 0;

  constructor(private readonly raw: Queryable) {}

  get inTransaction(): boolean {
    return this.#depth > 0;
  }

  query<R = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
    return this.raw.query<R>(sql, params, options);
  }

  exec(sql: string): Promise<void> {
    return this.raw.exec(sql);
  }

  async transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T> {
    const nested = this.#depth > 0;
    const sp = nested ? `strata_sp_${++this.#savepointSeq}` : '';
    await this.raw.exec(nested ? `SAVEPOINT ${sp}` : 'BEGIN');
    this.#depth++;
    try {
      const result = await fn(this);
      this.#depth--;
      await this.raw.exec(nested ? `RELEASE SAVEPOINT ${sp}` : 'COMMIT');
      return result;
    } catch (e) {
      this.#depth--;
      try {
        await this.raw.exec(nested ? `ROLLBACK TO SAVEPOINT ${sp}; RELEASE SAVEPOINT ${sp}` : 'ROLLBACK');
      } catch {
        // The connection may be gone; the original error is the one worth reporting.
      }
      throw e;
    }
  }
}
