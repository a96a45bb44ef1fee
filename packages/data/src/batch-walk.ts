import { StrataError, isStrataError, quoteIdent } from '@strata/core';
import { QueryError, type QueryResult, type Session } from '@strata/db';
import { emptyWalk, type Checkpoint, type WalkCheckpoint } from './checkpoint.js';
import { createDataTx } from './data-tx.js';
import type { ProxyDrizzle } from './project-drizzle.js';
import { describeKeyColumns, describeKeyValue } from './describe-key.js';
import type { DataHistory } from './history-table.js';
import { rateAndEta } from './progress.js';
import type { BatchFn, BatchInfo, BatchOptions, BatchProgress, BatchSummary, DataLogger, DataTenant, DryRunBatch } from './types.js';
import { resolveWalkTarget } from './walk-target.js';

/** What one running migration shares between its context, its walks and its steps. */
export interface RunState {
  migration: string;
  session: Session;
  history: DataHistory;
  /** The last committed checkpoint (in a dry run: committed to the outer transaction). */
  checkpoint: Checkpoint;
  walksSeen: Set<string>;
  /** The walk in progress: walks share one connection, so they run one after another. */
  activeWalk: string | null;
  /** Summaries of the walks this run finished or skipped, in order. */
  walks: BatchSummary[];
  dryRun: boolean;
  log: DataLogger;
  onProgress?: (p: BatchProgress) => void;
  onDryRunBatch?: (b: DryRunBatch) => void;
  /** A tenant schema's run: statements and table names in the managed schema act on the tenant's. */
  tenant?: DataTenant;
  /** The pg-proxy driver of the migration's own drizzle-orm when it is 1.x (projectDrizzle); unset: Strata's 0.45. */
  drizzle?: ProxyDrizzle;
}

/** PostgreSQL errors after which the same batch may well succeed: serialization, deadlock, lock timeout. */
const RETRYABLE = new Set(['40001', '40P01', '55P03']);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function positiveInt(value: number | undefined, fallback: number, what: string, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new StrataError('USAGE', `batch: \`${what}\` must be an integer of at least ${min}, got ${String(value)}`);
  return value;
}

function changedBy(returned: unknown, counted: number): number {
  if (typeof returned === 'number' && Number.isFinite(returned)) return returned;
  const rc = (returned as Partial<QueryResult> | null)?.rowCount;
  return typeof returned === 'object' && returned !== null && typeof rc === 'number' ? rc : counted;
}

/**
 * Walks a table in key order (`where key > last order by key limit size`), running `fn` on each
 * batch in its own transaction together with the checkpoint, so a kill or an error loses at most
 * the batch in flight and a later run resumes right after the last committed one.
 */
export async function runBatchWalk<K>(state: RunState, options: BatchOptions, fn: BatchFn<K>): Promise<BatchSummary> {
  const size = positiveInt(options.size, 1000, 'size', 1);
  const pauseMs = positiveInt(options.pauseMs, 0, 'pauseMs', 0);
  const retries = positiveInt(options.retries, 3, 'retries', 0);
  if (typeof fn !== 'function') throw new StrataError('USAGE', 'batch: the second argument must be a function (tx, batch) => …');
  if (state.activeWalk !== null) {
    throw new StrataError('USAGE', `${state.migration}: ctx.batch was called while the walk "${state.activeWalk}" is running`, {
      hint: 'Walks share the migration\'s one connection: await each ctx.batch before starting the next, and do not start one inside another.',
    });
  }
  state.activeWalk = '(starting)';
  try {
    return await walkTable(state, options, fn, size, pauseMs, retries);
  } finally {
    state.activeWalk = null;
  }
}

async function walkTable<K>(state: RunState, options: BatchOptions, fn: BatchFn<K>, size: number, pauseMs: number, retries: number): Promise<BatchSummary> {
  const target = await resolveWalkTarget(state.session, options.table, options.key, state.tenant && { from: state.tenant.managed, to: state.tenant.schema });
  const walkName = options.name ?? `${target.schema}.${target.name}`;
  if (state.walksSeen.has(walkName)) {
    throw new StrataError('USAGE', `${state.migration}: the batch walk "${walkName}" runs twice in this migration`, {
      hint: 'Give each walk over the same table its own name: ctx.batch({ table, name: "second pass" }, …).',
    });
  }
  state.walksSeen.add(walkName);
  state.activeWalk = walkName;

  let walk: WalkCheckpoint = state.checkpoint.walks[walkName] ?? emptyWalk();
  const keyNames = target.key.map((k) => k.name);
  const single = target.key.length === 1;
  const unwrap = (tuple: unknown[]): unknown => (single ? tuple[0] : tuple);
  const resumedAfter = walk.last ? unwrap(walk.last) : null;
  const summary = (skipped: boolean): BatchSummary => {
    const s = { name: walkName, table: target.qualified, batches: walk.batches, rows: walk.rows, changed: walk.changed, skipped, resumedAfter };
    state.walks.push(s);
    return s;
  };
  if (walk.done) {
    state.log.debug(`${walkName}: finished by an earlier run (${walk.rows} rows)`);
    return summary(true);
  }
  if (walk.last) state.log.info(`${walkName}: resuming after ${describeKeyColumns(keyNames)} ${describeKeyValue(resumedAfter)} with batch ${walk.batches + 1}`);

  const cols = keyNames.map(quoteIdent);
  const keyList = cols.join(', ');
  const tuple = single ? cols[0]! : `(${keyList})`;
  // On a tenant's run, names of the managed schema in the condition are the tenant's, as in the batch's statements.
  const condition = options.where && state.tenant ? state.tenant.substitute(options.where) : options.where;
  const filter = condition ? `(${condition})` : null;
  // Key values are parameters from `first` on, cast to the column types so the comparison uses the key's index.
  const where = (resume: boolean, first: number) => {
    const params = target.key.map((k, i) => `$${i + first}::${k.type}`);
    const conds = [...(resume ? [`${tuple} > ${single ? params[0]! : `(${params.join(', ')})`}`] : []), ...(filter ? [filter] : [])];
    return conds.length ? ` where ${conds.join(' and ')}` : '';
  };
  const selectKeys = (resume: boolean) => `select ${keyList} from ${target.qualified}${where(resume, 2)} order by ${keyList} limit $1`;
  const keyParams = (w: WalkCheckpoint): unknown[] => (w.last ? [size, ...w.last] : [size]);

  let total: number | null = null;
  if (options.count !== false) {
    const r = await state.session.query<{ n: string }>(`select count(*)::int8 as n from ${target.qualified}${where(walk.last !== null, 1)}`, walk.last ?? []);
    total = walk.rows + Number(r.rows[0]?.n ?? 0);
  }
  const startedAt = Date.now();
  const rowsAtStart = walk.rows;
  const report = (done: boolean) => {
    const { rowsPerSecond, etaMs } = rateAndEta({ startedAt, rowsAtStart, rowsDone: walk.rows, total, now: Date.now() });
    state.onProgress?.({
      migration: state.migration, walk: walkName, table: target.qualified, batch: walk.batches, rowsDone: walk.rows,
      total: done ? walk.rows : total, rowsPerSecond, etaMs: done ? 0 : etaMs, done,
    });
  };

  for (;;) {
    const seen: { batch: BatchInfo<K> | null } = { batch: null };
    let outcome: { walk: WalkCheckpoint; checkpoint: Checkpoint; changed: number } | undefined;
    for (let attempt = 0; ; attempt++) {
      seen.batch = null;
      try {
        outcome = await state.session.transaction(async (tx) => {
          const keys = await tx.query<unknown[]>(selectKeys(walk.last !== null), keyParams(walk), { rowMode: 'array' });
          const n = keys.rows.length;
          let next: WalkCheckpoint;
          let changed = 0;
          if (n === 0) {
            next = { ...walk, done: true };
          } else {
            const ids = keys.rows.map((r) => unwrap(r)) as K[];
            seen.batch = {
              index: walk.batches + 1, ids, from: ids[0]!, to: ids[n - 1]!, rows: n,
              columns: keyNames.map((_c, i) => keys.rows.map((r) => r[i])),
            };
            const counter = { changed: 0 };
            const returned = await fn(createDataTx(tx, counter, state.tenant?.substitute, state.drizzle), seen.batch);
            changed = changedBy(returned, counter.changed);
            next = { last: keys.rows[n - 1]!, batches: walk.batches + 1, rows: walk.rows + n, changed: walk.changed + changed, done: n < size };
          }
          const checkpoint: Checkpoint = { ...state.checkpoint, walks: { ...state.checkpoint.walks, [walkName]: next } };
          await state.history.saveCheckpoint(tx, state.migration, checkpoint, n);
          return { walk: next, checkpoint, changed };
        });
        break;
      } catch (e) {
        const code = e instanceof QueryError ? e.pg.code ?? '' : '';
        if (RETRYABLE.has(code) && attempt < retries) {
          const wait = 100 * 2 ** attempt;
          state.log.warn(`${walkName}: batch ${walk.batches + 1} hit "${(e as Error).message}"; retrying in ${wait} ms (${attempt + 1}/${retries})`);
          await sleep(wait);
          continue;
        }
        throw batchFailure(state.migration, target.qualified, keyNames, walk, seen.batch, e);
      }
    }
    walk = outcome!.walk;
    state.checkpoint = outcome!.checkpoint;
    const b = seen.batch as BatchInfo<K> | null;
    if (b !== null && state.dryRun) {
      state.onDryRunBatch?.({ migration: state.migration, walk: walkName, batch: b.index, from: b.from, to: b.to, rows: b.rows, changed: outcome!.changed });
    }
    report(walk.done);
    if (walk.done) break;
    if (pauseMs > 0) await sleep(pauseMs);
  }
  return summary(false);
}

/** The error of a failed batch: which migration, which batch and keys, and what stays committed. */
function batchFailure(migration: string, table: string, keyNames: string[], walk: WalkCheckpoint, batch: BatchInfo<unknown> | null, e: unknown): StrataError {
  const message = e instanceof Error ? e.message : String(e);
  const index = walk.batches + 1;
  const keys = describeKeyColumns(keyNames);
  const range = batch ? ` (${keys} ${describeKeyValue(batch.from)} … ${describeKeyValue(batch.to)}, ${batch.rows} rows)` : '';
  const kept = walk.last
    ? `${walk.batches} earlier batch${walk.batches === 1 ? '' : 'es'} (${walk.rows} rows) stay committed; the checkpoint stays after ${keys} ${describeKeyValue(walk.last.length === 1 ? walk.last[0] : walk.last)}`
    : 'no earlier batch of this walk was committed';
  const details = [kept, ...(isStrataError(e) ? e.details : [])];
  return new StrataError('DATA_MIGRATION_FAILED', `${migration}: batch ${index} of ${table}${range} failed: ${message}`, {
    details,
    hint: isStrataError(e) && e.hint ? e.hint : `Fix the cause (or the migration file) and run \`strata data run\` again: it resumes with batch ${index}.`,
    cause: e,
  });
}
