import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One entry of drizzle-kit's `meta/_journal.json`. */
export interface DrizzleJournalEntry {
  idx: number;
  /** Milliseconds since the epoch when drizzle-kit generated it; drizzle-orm's migrator stores it as `created_at`. */
  when: number;
  /** The file name without `.sql`, e.g. `0000_brave_hulk`. */
  tag: string;
  breakpoints: boolean;
}

export const DRIZZLE_JOURNAL = 'meta/_journal.json';

/**
 * Reads drizzle-kit's journal, or returns null when the folder has none. Throws a message
 * (caught by the folder reader and reported as a problem) when the journal is not what
 * drizzle-kit writes.
 *
 * @example
 * readDrizzleJournal('./drizzle')?.map((e) => e.tag) // => ['0000_init', '0001_add_users']
 */
export function readDrizzleJournal(dir: string): DrizzleJournalEntry[] | null {
  const path = join(dir, DRIZZLE_JOURNAL);
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`not valid JSON: ${(e as Error).message}`);
  }
  const entries = (raw as { entries?: unknown })?.entries;
  if (!Array.isArray(entries)) throw new Error('has no "entries" array');
  return entries.map((e: unknown, i) => {
    const x = e as Partial<DrizzleJournalEntry>;
    if (typeof x?.tag !== 'string' || typeof x.when !== 'number') throw new Error(`entry ${i} has no "tag" or "when"`);
    return { idx: typeof x.idx === 'number' ? x.idx : i, when: x.when, tag: x.tag, breakpoints: x.breakpoints !== false };
  });
}
