import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeBackends } from '@strata/testing';
import { createSnapshotSql, diffSnapshots, renderMigration } from '../src/index.js';
import { splitParts } from './migration-parts.js';
import { randomResolver, toSnapshot, worldSpec } from './arbitrary-snapshot.js';
import { openHarness, roundTrip, type Harness } from './harness.js';

/**
 * For random pairs of small schemas (and random rename answers): building prev and applying up gives
 * the catalog of a fresh build of next, and applying down gives back the catalog of prev.
 */
describeBackends('random schema pairs', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(backend);
  });
  afterAll(async () => h?.dispose());

  it('up reaches next and down returns to prev', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(worldSpec, worldSpec, fc.array(fc.nat(7), { maxLength: 12 }), async (a, b, choices) => {
        const s = `prop_${run++}`;
        await roundTrip(h, toSnapshot(a, s), toSnapshot(b, s), { resolver: randomResolver(choices) });
      }),
      { numRuns: Number(process.env.STRATA_PROPERTY_RUNS ?? 20), endOnFailure: true },
    );
  }, 600_000);

});

describe('random schemas (no database)', () => {
  it('a snapshot diffed with itself has no changes', async () => {
    await fc.assert(
      fc.asyncProperty(worldSpec, async (a) => {
        const s = toSnapshot(a, 'same');
        const diff = await diffSnapshots(s, structuredClone(s));
        expect(diff.changes).toEqual([]);
        expect(diff.up).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('createSnapshotSql is one transaction (whatever the hints); every part is all in a transaction or all outside, and its file reads back as those parts', async () => {
    await fc.assert(
      fc.asyncProperty(worldSpec, worldSpec, async (a, b) => {
        expect(createSnapshotSql(toSnapshot(b, 's')).every((x) => x.transactional)).toBe(true);
        const diff = await diffSnapshots(toSnapshot(a, 's'), toSnapshot(b, 's'));
        for (const parts of [diff.upParts, diff.downParts]) {
          for (const part of parts) expect(new Set(part.statements.map((x) => x.transactional))).toEqual(new Set([part.transactional]));
          expect(splitParts(renderMigration(parts)).map((p) => [p.transactional, p.statements.length]))
            .toEqual(parts.map((p) => [p.transactional, p.statements.length]));
        }
      }),
      { numRuns: 100 },
    );
  });
});
