import type { DatabaseClient } from '@strata/db';
import { NO_TRANSACTION_MARKER, PART_MARKER, PART_NO_TRANSACTION_MARKER, STATEMENT_BREAKPOINT } from '../src/index.js';

/**
 * The parts contract as the runner reads it, for tests that run generated files before the runner
 * does: lines `--> strata:part` / `--> strata:part no-transaction` start parts; the text before the
 * first marker is the first part (outside a transaction when the file starts with the legacy header).
 */
export interface FilePart {
  transactional: boolean;
  statements: string[];
}

const isComment = (chunk: string) => chunk.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('--'));

export function splitParts(text: string): FilePart[] {
  const parts: { transactional: boolean; lines: string[] }[] = [{ transactional: !text.startsWith(NO_TRANSACTION_MARKER), lines: [] }];
  for (const line of text.split('\n')) {
    if (line === PART_MARKER || line === PART_NO_TRANSACTION_MARKER) parts.push({ transactional: line === PART_MARKER, lines: [] });
    else parts[parts.length - 1]!.lines.push(line);
  }
  return parts
    .map((p) => ({
      transactional: p.transactional,
      statements: p.lines.join('\n').split(`\n${STATEMENT_BREAKPOINT}\n`).map((s) => s.trim()).filter((s) => s !== '' && !isComment(s)),
    }))
    .filter((p) => p.statements.length > 0);
}

/**
 * Runs a migration file's parts from `fromPart` on, as the runner does: a part in a transaction of its
 * own, or statement by statement outside one. A failure is rethrown with `failedPart`, so a test
 * can resume there as the runner's rerun would.
 */
export async function applyFile(
  client: DatabaseClient, text: string, fromPart = 0,
  /** Runs before each statement of a part outside a transaction (to play a concurrent writer). */
  beforeStatement?: (part: number, statement: number) => Promise<void>,
): Promise<void> {
  const parts = splitParts(text);
  for (let i = fromPart; i < parts.length; i++) {
    const p = parts[i]!;
    try {
      if (p.transactional) {
        await client.transaction(async (tx) => {
          for (const s of p.statements) await tx.exec(s);
        });
      } else {
        for (const [j, s] of p.statements.entries()) {
          await beforeStatement?.(i, j);
          await client.exec(s);
        }
      }
    } catch (e) {
      throw Object.assign(e as Error, { failedPart: i });
    }
  }
}
