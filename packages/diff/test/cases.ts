import { afterAll, beforeAll, it } from 'vitest';
import type { BackendKind, DatabaseClient } from '@strata/db';
import type { Snapshot } from '@strata/schema';
import { hintResolver, type Diff } from '../src/index.js';
import { openHarness, roundTrip, type Harness } from './harness.js';

/** One kind of change, built in its own schema `s` so cases share a database. */
export interface Case {
  name: string;
  build(s: string): {
    prev: Snapshot;
    next: Snapshot;
    /** `--rename` hints, in the CLI's format. */
    renames?: string[];
    seed?: string;
    afterUp?: (c: DatabaseClient, diff: Diff) => Promise<void>;
    afterDown?: (c: DatabaseClient, diff: Diff) => Promise<void>;
    check?: (diff: Diff) => void;
  };
}

/** Declares one `it` per case: prev → up = fresh next, → down = fresh prev (see roundTrip). */
export function runCases(harness: () => Harness, prefix: string, list: Case[]): void {
  list.forEach((c, i) => {
    it(c.name, async () => {
      const x = c.build(`${prefix}${i}`);
      const diff = await roundTrip(harness(), x.prev, x.next, {
        ...(x.renames ? { resolver: hintResolver(x.renames) } : {}),
        ...(x.seed ? { seed: x.seed } : {}),
        ...(x.afterUp ? { afterUp: x.afterUp } : {}),
        ...(x.afterDown ? { afterDown: x.afterDown } : {}),
      });
      x.check?.(diff);
    });
  });
}

/** One harness (two databases) for the whole describe block, opened before its tests. */
export function useHarness(backend: BackendKind): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await openHarness(backend);
  });
  afterAll(async () => h?.dispose());
  return () => {
    if (!h) throw new Error('harness not open');
    return h;
  };
}

export const kinds = (d: Diff) => d.changes.map((c) => c.kind);
export const upSql = (d: Diff) => d.up.map((s) => s.sql).join(';\n');
export const downSql = (d: Diff) => d.down.map((s) => s.sql).join(';\n');
