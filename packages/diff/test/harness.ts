import { expect } from 'vitest';
import type { BackendKind, DatabaseClient } from '@strata/db';
import type { Snapshot } from '@strata/schema';
import { catalogFingerprint, createTestDatabase, serverVersionNum, snapshotForServer, type TestDatabase } from '@strata/testing';
import { quoteIdent } from '@strata/core';
import { applyFile } from './migration-parts.js';
import { createSnapshotSql, diffSnapshots, renderMigration, type Diff, type RenameResolver, type Statement } from '../src/index.js';

/** Two databases on one backend: `migrated` goes prev → next → prev; `fresh` is built from scratch to compare with. */
export interface Harness {
  migrated: DatabaseClient;
  fresh: DatabaseClient;
  dispose(): Promise<void>;
}

export async function openHarness(backend: BackendKind): Promise<Harness> {
  const dbs: TestDatabase[] = [await createTestDatabase(backend), await createTestDatabase(backend)];
  return {
    migrated: await dbs[0]!.client(),
    fresh: await dbs[1]!.client(),
    dispose: async () => {
      for (const d of dbs) await d.dispose();
    },
  };
}

/** Runs statements as the runner would: one transaction for a transactional file, one by one otherwise. */
export async function apply(client: DatabaseClient, statements: readonly Statement[]): Promise<void> {
  if (statements.length === 0) return;
  // Rendering checks the file can be written (no mixing of transactional and not).
  renderMigration(statements);
  if (statements.every((s) => s.transactional)) {
    await client.transaction(async (tx) => {
      for (const s of statements) await tx.exec(s.sql);
    });
  } else {
    for (const s of statements) await client.exec(s.sql);
  }
}

/** Renders the up migration as a file and runs its parts as the runner does (see migration-parts.ts). */
export async function applyUp(client: DatabaseClient, diff: Diff): Promise<void> {
  await applyFile(client, renderMigration(diff.upParts));
}
export async function applyDown(client: DatabaseClient, diff: Diff): Promise<void> {
  await applyFile(client, renderMigration(diff.downParts));
}

export function schemaNames(...snapshots: Snapshot[]): string[] {
  return [...new Set(snapshots.flatMap((s) => Object.keys(s.schemas)))].filter((s) => s !== 'public').sort();
}

export async function dropSchemas(client: DatabaseClient, schemas: string[]): Promise<void> {
  for (const s of schemas) await client.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(s)} CASCADE`);
}

export async function build(client: DatabaseClient, snapshot: Snapshot): Promise<void> {
  await apply(client, createSnapshotSql(snapshot));
}

export interface RoundTripOptions {
  resolver?: RenameResolver;
  /** Plan for this server's version (`serverVersionNum`), as push and `generate --url` do; default: for any server. */
  forServer?: boolean;
  /** SQL run on `migrated` after prev is built (rows for the data tests). */
  seed?: string;
  afterUp?: (client: DatabaseClient, diff: Diff) => Promise<void>;
  afterDown?: (client: DatabaseClient, diff: Diff) => Promise<void>;
}

/**
 * The proof for one change: build prev, apply up, compare the catalog with a fresh build of
 * next; apply down, compare with a fresh build of prev. Returns the diff for further assertions.
 */
export async function roundTrip(h: Harness, asGivenPrev: Snapshot, asGivenNext: Snapshot, options: RoundTripOptions = {}): Promise<Diff> {
  // A server before 15 (compatibility run) cannot build NULLS NOT DISTINCT: the database part runs
  // without it there, and the diff returned for the case's own checks is still that of the
  // snapshots as given (Strata refuses to run it on such a server: see assertServerCanExpress).
  const version = await serverVersionNum(h.migrated);
  const prev = snapshotForServer(asGivenPrev, version);
  const next = snapshotForServer(asGivenNext, version);
  const diffOptions = { ...(options.resolver ? { resolver: options.resolver } : {}), ...(options.forServer ? { serverVersionNum: version } : {}) };
  const asGiven = async (applied: Diff) =>
    prev === asGivenPrev && next === asGivenNext
      ? applied
      : diffSnapshots(asGivenPrev, asGivenNext, diffOptions);
  const schemas = schemaNames(prev, next);
  await dropSchemas(h.migrated, schemas);
  await dropSchemas(h.fresh, schemas);
  try {
    await build(h.migrated, prev);
    if (options.seed) await h.migrated.exec(options.seed);
    const diff = await diffSnapshots(prev, next, diffOptions);
    await applyUp(h.migrated, diff);
    await build(h.fresh, next);
    await expectSameCatalog(h, schemas, 'after up: same catalog as a fresh build of next', diff.up);
    await options.afterUp?.(h.migrated, diff);
    await applyDown(h.migrated, diff);
    await dropSchemas(h.fresh, schemas);
    await build(h.fresh, prev);
    await expectSameCatalog(h, schemas, 'after down: same catalog as a fresh build of prev', diff.down);
    await options.afterDown?.(h.migrated, diff);
    return await asGiven(diff);
  } finally {
    await dropSchemas(h.migrated, schemas);
    await dropSchemas(h.fresh, schemas);
  }
}

/** Leaf paths of a fingerprint (array items keyed by their name), for a readable difference. */
function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      const key = v !== null && typeof v === 'object' && 'name' in v ? `${(v as { schema?: string }).schema ?? ''}.${String((v as { name: unknown }).name)}` : String(i);
      flatten(v, `${path}[${key}]`, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, `${path}.${k}`, out);
  } else {
    out.set(path, JSON.stringify(value));
  }
}

/** Compares the two databases' catalogs; on a difference, fails listing the differing entries and the SQL that ran. */
export async function expectSameCatalog(h: Harness, schemas: string[], what: string, statements: readonly Statement[]): Promise<void> {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(await catalogFingerprint(h.migrated, schemas), '', a);
  flatten(await catalogFingerprint(h.fresh, schemas), '', b);
  const lines: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(k) !== b.get(k)) lines.push(`${k}: migrated ${a.get(k) ?? '(absent)'} / fresh ${b.get(k) ?? '(absent)'}`);
  }
  if (lines.length) throw new Error(`${what}:\n${lines.sort().join('\n')}\n\nSQL:\n${renderMigration(statements)}`);
  expect(lines).toEqual([]);
}
