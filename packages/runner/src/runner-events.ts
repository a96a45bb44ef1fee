/** A session holding a lock the migration waits for (from `pg_blocking_pids` and `pg_stat_activity`). */
export interface LockBlocker {
  pid: number;
  /** Its `application_name`; empty when it set none. */
  applicationName: string;
  /** Its current (or, when idle in a transaction, last) query, on one line, cut at 120 characters. */
  query: string;
  /** `active`, `idle in transaction`, … */
  state: string;
  /** How long its transaction has been open (it holds its locks until it ends), ms. */
  heldMs: number;
}

/** Where in a migration something happened. `statement`/`line` are null when a part's batch as a whole was stopped. */
interface At {
  name: string;
  file: string;
  part: number;
  parts: number;
  statement: number | null;
  line: number | null;
}

/** Progress a run reports through `onEvent` (the CLI prints them on stderr). */
export type RunnerEvent =
  /** Another process holds the migration lock; we poll until `lockWaitMs`. */
  | { type: 'waiting-for-lock'; holderPid: number | null }
  | { type: 'lock-acquired'; waitedMs: number }
  | { type: 'history-created'; table: string }
  /** The history table was of an older format and was upgraded (rows kept). */
  | { type: 'history-upgraded'; table: string; from: number; to: number }
  /** drizzle-kit history rows copied into Strata's history (adopting a drizzle-kit project). */
  | { type: 'drizzle-history-imported'; names: string[] }
  /** `fromPart` > 1: a partly applied (or partly reverted) migration is resumed. */
  | { type: 'migration-started'; name: string; direction: 'up' | 'down'; statements: number; noTransaction: boolean; parts: number; fromPart: number }
  /** One part of a migration in several parts is done and recorded. */
  | { type: 'part-done'; name: string; direction: 'up' | 'down'; part: number; parts: number; durationMs: number }
  | { type: 'migration-applied'; name: string; durationMs: number }
  | { type: 'migration-reverted'; name: string; durationMs: number }
  | { type: 'migration-baselined'; name: string }
  /**
   * A lock wait hit `lock_timeout`: the part's transaction (or, outside a transaction, the
   * statement) was rolled back and runs again after `delayMs`. `relation` is the table waited
   * for and `blockers` who held it, when they were seen.
   */
  | ({ type: 'lock-retry'; attempt: number; delayMs: number; elapsedMs: number; budgetMs: number; lockTimeoutMs: number; relation: string | null; blockers: LockBlocker[] } & At)
  /** A statement that runs without `lock_timeout` (CONCURRENTLY, VALIDATE, or every statement with `lockTimeoutMs` 0) has waited 2 s or more for a lock. */
  | ({ type: 'lock-waiting'; waitedMs: number; relation: string | null; blockers: LockBlocker[] } & At)
  /** An INVALID index left by an earlier failed `CREATE INDEX CONCURRENTLY` was dropped before building it again. */
  | ({ type: 'invalid-index-dropped'; index: string } & At);

const seconds = (ms: number) => (ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`);

/** `pid 4242 (psql, idle in transaction for 3.2 s: select * from t)`. */
export function describeBlocker(b: LockBlocker): string {
  const app = b.applicationName ? `${b.applicationName}, ` : '';
  return `pid ${b.pid} (${app}${b.state || 'unknown state'} for ${seconds(b.heldMs)}${b.query ? `: ${b.query}` : ''})`;
}

function where(e: At): string {
  const part = e.parts > 1 ? ` part ${e.part} of ${e.parts}` : '';
  return `${e.name}${part}${e.statement !== null ? ` (${e.file}:${e.line}, statement ${e.statement})` : ''}`;
}

function blockedBy(relation: string | null, blockers: LockBlocker[]): string {
  const on = relation ? ` on ${relation}` : '';
  if (blockers.length === 0) return `a lock${on} (its holder let go before it could be seen)`;
  return `a lock${on} held by ${blockers.map(describeBlocker).join(', ')}`;
}

/**
 * One line of text for an event, as the CLI prints it.
 *
 * @example
 * onEvent: (e) => console.error(describeEvent(e))
 */
export function describeEvent(e: RunnerEvent): string {
  switch (e.type) {
    case 'waiting-for-lock':
      return `waiting for another migrate${e.holderPid !== null ? ` (pid ${e.holderPid})` : ''}…`;
    case 'lock-acquired':
      return `migration lock acquired${e.waitedMs >= 1000 ? ` after ${(e.waitedMs / 1000).toFixed(1)} s` : ''}`;
    case 'history-created':
      return `created the history table ${e.table}`;
    case 'history-upgraded':
      return `upgraded the history table ${e.table} from format ${e.from} to ${e.to} (every row kept)`;
    case 'drizzle-history-imported':
      return `recognised ${e.names.length} migration${e.names.length === 1 ? '' : 's'} applied by drizzle-kit: ${e.names.join(', ')}`;
    case 'migration-started': {
      const verb = e.direction === 'up' ? (e.fromPart > 1 ? 'resuming' : 'applying') : e.fromPart > 1 ? 'resuming the rollback of' : 'reverting';
      const parts = e.parts > 1 ? `, ${e.fromPart > 1 ? `from part ${e.fromPart} of ${e.parts}` : `${e.parts} parts`}` : '';
      return `${verb} ${e.name} (${e.statements} statement${e.statements === 1 ? '' : 's'}${parts}${e.noTransaction ? ', outside a transaction' : ''})…`;
    }
    case 'part-done':
      return `${e.name}: part ${e.part} of ${e.parts} ${e.direction === 'up' ? 'applied' : 'reverted'} (${e.durationMs} ms)`;
    case 'migration-applied':
      return `applied ${e.name} (${e.durationMs} ms)`;
    case 'migration-reverted':
      return `reverted ${e.name} (${e.durationMs} ms)`;
    case 'migration-baselined':
      return `recorded ${e.name} as applied`;
    case 'lock-retry':
      return `${where(e)}: gave up waiting for ${blockedBy(e.relation, e.blockers)} after lock_timeout ${e.lockTimeoutMs} ms; rolled back, retrying in ${e.delayMs} ms (attempt ${e.attempt + 1}, ${seconds(e.elapsedMs)} of the ${seconds(e.budgetMs)} lockBudgetMs)`;
    case 'lock-waiting':
      return `${where(e)}: waiting ${seconds(e.waitedMs)} so far for ${blockedBy(e.relation, e.blockers)}`;
    case 'invalid-index-dropped':
      return `${where(e)}: dropped the INVALID index ${e.index} left by an earlier failed build, to build it again`;
    default: {
      const never: never = e;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}
