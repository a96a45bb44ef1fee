/** Progress a run reports through `onEvent` (the CLI prints them on stderr). */
export type RunnerEvent =
  /** Another process holds the migration lock; we poll until `lockWaitMs`. */
  | { type: 'waiting-for-lock'; holderPid: number | null }
  | { type: 'lock-acquired'; waitedMs: number }
  | { type: 'history-created'; table: string }
  /** drizzle-kit history rows copied into Strata's history (adopting a drizzle-kit project). */
  | { type: 'drizzle-history-imported'; names: string[] }
  | { type: 'migration-started'; name: string; direction: 'up' | 'down'; statements: number; noTransaction: boolean }
  | { type: 'migration-applied'; name: string; durationMs: number }
  | { type: 'migration-reverted'; name: string; durationMs: number }
  | { type: 'migration-baselined'; name: string }
  /** A statement hit `lock_timeout`; it is retried from a savepoint after `delayMs`. */
  | { type: 'lock-retry'; name: string; file: string; statement: number; line: number; attempt: number; attempts: number; delayMs: number };

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
    case 'drizzle-history-imported':
      return `recognised ${e.names.length} migration${e.names.length === 1 ? '' : 's'} applied by drizzle-kit: ${e.names.join(', ')}`;
    case 'migration-started':
      return `${e.direction === 'up' ? 'applying' : 'reverting'} ${e.name} (${e.statements} statement${e.statements === 1 ? '' : 's'}${e.noTransaction ? ', outside a transaction' : ''})…`;
    case 'migration-applied':
      return `applied ${e.name} (${e.durationMs} ms)`;
    case 'migration-reverted':
      return `reverted ${e.name} (${e.durationMs} ms)`;
    case 'migration-baselined':
      return `recorded ${e.name} as applied`;
    case 'lock-retry':
      return `${e.file}:${e.line} statement ${e.statement} timed out waiting for a lock; retrying in ${e.delayMs} ms (attempt ${e.attempt + 1} of ${e.attempts})`;
    default: {
      const never: never = e;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}
