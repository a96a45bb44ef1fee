import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStrataError, type StrataError } from '@strata/core';
import type { DatabaseClient } from '@strata/db';
import { emptySnapshot } from '@strata/schema';
import { readMigrationFolder, rehash, writeMigration, type RunnerEvent, type RunnerOptions } from '../src/index.js';

let seq = 0;

/**
 * A migration folder of its own plus a schema and a history table of their own, so tests can
 * share one database: migrations create their objects in `fx.schema` (write `${s}` in SQL).
 */
export function fixture(db: DatabaseClient, extra: RunnerOptions = {}) {
  const id = `${process.pid}_${++seq}`;
  const out = mkdtempSync(join(tmpdir(), 'strata-runner-'));
  const schema = `s_${id}`;
  const history = { schema: `h_${id}`, table: 'migrations' };
  const events: RunnerEvent[] = [];
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const sub = (sql: string) => sql.replaceAll('${s}', `"${schema}"`);
  return {
    db,
    out,
    schema,
    history,
    events,
    /** Adds a migration (names get increasing timestamps), `${s}` standing for the schema. */
    add(name: string, up: string, down: string | null = null): string {
      clock += 60_000;
      return writeMigration(out, { name, up: sub(up), down: down === null ? null : sub(down), snapshot: emptySnapshot(), now: new Date(clock) }).name;
    },
    /** Writes a file by hand (then re-hashes, as `strata hash` would). */
    write(file: string, text: string, hash = true): void {
      writeFileSync(join(out, file), sub(text));
      if (hash) rehash(out);
    },
    folder: () => readMigrationFolder(out),
    opts: <T extends object = object>(more?: T & RunnerOptions): RunnerOptions & T =>
      ({ history, drizzleHistory: false, lockTimeoutMs: 2000, onEvent: (e: RunnerEvent) => events.push(e), ...extra, ...more }) as RunnerOptions & T,
    async applied(): Promise<{ name: string; checksum: string; duration_ms: number | null; applied_by: string }[]> {
      const r = await db.query<{ name: string; checksum: string; duration_ms: number | null; applied_by: string }>(
        `select name, checksum, duration_ms, applied_by from "${history.schema}"."${history.table}" order by id`,
      );
      return r.rows;
    },
    async tables(): Promise<string[]> {
      const r = await db.query<{ t: string }>(`select table_name::text as t from information_schema.tables where table_schema = $1 order by 1`, [schema]);
      return r.rows.map((x) => x.t);
    },
  };
}

/** The StrataError a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<StrataError> {
  try {
    await p;
  } catch (e) {
    if (isStrataError(e)) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}
