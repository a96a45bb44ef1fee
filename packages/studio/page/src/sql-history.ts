/** The statements run in the SQL console, newest first, kept in the browser (per studio origin). */
const KEY = 'strata-studio:sql-history';
export const HISTORY_SIZE = 50;

/** The history as stored; empty when there is none or it cannot be read. */
export function loadHistory(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, HISTORY_SIZE) : [];
  } catch {
    return [];
  }
}

/**
 * Puts `statement` first (once: an earlier run of the same text moves up), keeps `HISTORY_SIZE`.
 *
 * @example
 * remember(['select 2', 'select 1'], 'select 1') // ['select 1', 'select 2']
 */
export function remember(history: readonly string[], statement: string): string[] {
  const next = [statement, ...history.filter((s) => s !== statement)].slice(0, HISTORY_SIZE);
  try { localStorage.setItem(KEY, JSON.stringify(next)); } catch { /* private mode: not kept */ }
  return next;
}
