import { qualify, quoteIdent } from '@strata/core';
import { QueryError, type Queryable } from '@strata/db';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';

export type HistoryStatus = 'running' | 'failed' | 'done';

/** One data migration as the history table records it. */
export interface HistoryRow {
  name: string;
  checksum: string;
  status: HistoryStatus;
  checkpoint: Checkpoint;
  rows: number;
  /** ISO 8601, UTC. */
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** Where the history lives; the table name is fixed, the schema follows the config's `history.schema`. */
export interface HistoryLocation {
  schema: string;
  table: string;
}

export const DEFAULT_HISTORY: HistoryLocation = { schema: 'strata', table: 'data_migrations' };

const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The data-migration history table (`strata.data_migrations`): name, checksum, status, checkpoint,
 * rows, times and the last error.
 */
export class DataHistory {
  readonly qualified: string;

  constructor(private readonly q: Queryable, readonly location: HistoryLocation = DEFAULT_HISTORY) {
    this.qualified = qualify(location.schema, location.table);
  }

  /** Creates the schema and table when missing. */
  async ensure(): Promise<void> {
    const script = `create schema if not exists ${quoteIdent(this.location.schema)};
      create table if not exists ${this.qualified} (
        name text primary key,
        checksum text not null,
        status text not null check (status in ('running', 'failed', 'done')),
        checkpoint jsonb not null default '{}'::jsonb,
        rows bigint not null default 0,
        started_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        finished_at timestamptz,
        error text
      )`;
    try {
      await this.q.exec(script);
    } catch (e) {
      // Another Strata process (say, migrate creating the schema) got there in the same instant.
      if (!(e instanceof QueryError) || !['23505', '42P06', '42P07'].includes(e.pg.code ?? '')) throw e;
      await this.q.exec(script);
    }
  }

  async exists(): Promise<boolean> {
    const r = await this.q.query<{ t: string | null }>('select to_regclass($1)::text as t', [this.qualified]);
    return r.rows[0]?.t != null;
  }

  async list(): Promise<HistoryRow[]> {
    const r = await this.q.query<{
      name: string; checksum: string; status: HistoryStatus; checkpoint: unknown; rows: string;
      started_at: string; updated_at: string; finished_at: string | null; error: string | null;
    }>(
      `select name, checksum, status, checkpoint, rows, ${iso('started_at')} as started_at, ${iso('updated_at')} as updated_at,
              ${iso('finished_at')} as finished_at, error
         from ${this.qualified} order by name`,
    );
    return r.rows.map((x) => ({
      name: x.name, checksum: x.checksum, status: x.status, checkpoint: parseCheckpoint(x.checkpoint), rows: Number(x.rows),
      startedAt: x.started_at, updatedAt: x.updated_at, finishedAt: x.finished_at, error: x.error,
    }));
  }

  /** Marks a migration running (a new row, or a resumed one: its checkpoint and start time stay). */
  async start(name: string, checksum: string): Promise<void> {
    await this.q.query(
      `insert into ${this.qualified} (name, checksum, status) values ($1, $2, 'running')
       on conflict (name) do update set checksum = excluded.checksum, status = 'running', error = null, finished_at = null, updated_at = now()`,
      [name, checksum],
    );
  }

  /** Records a checkpoint; called inside the transaction of the work it describes. */
  async saveCheckpoint(tx: Queryable, name: string, checkpoint: Checkpoint, rowsDelta: number): Promise<void> {
    await tx.query(
      `update ${this.qualified} set checkpoint = $2::jsonb, rows = rows + $3::int8, updated_at = now() where name = $1`,
      [name, JSON.stringify(checkpoint), rowsDelta],
    );
  }

  async finish(name: string): Promise<void> {
    await this.q.query(`update ${this.qualified} set status = 'done', finished_at = now(), updated_at = now(), error = null where name = $1`, [name]);
  }

  async fail(name: string, message: string): Promise<void> {
    await this.q.query(`update ${this.qualified} set status = 'failed', error = $2, updated_at = now() where name = $1`, [name, message]);
  }
}
