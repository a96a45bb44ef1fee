import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { introspect } from '@strata/db';
import { readMigrationFolder, writeMigration, type MigrationFolder } from '@strata/runner';
import { createTestDatabase } from '@strata/testing';
import type { ResolvedConfig } from '@strata/workflow';

/**
 * A project directory with a migration folder whose snapshots are real: each migration's SQL is
 * applied on a scratch PGlite and the managed schema introspected after it.
 */
export async function makeProject(migrations: { name: string; up: string; down?: string }[], schema: string): Promise<{ dir: string; out: string; folder: () => MigrationFolder; config: ResolvedConfig }> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-fleet-'));
  const out = join(dir, 'migrations');
  const scratch = await createTestDatabase('pglite');
  try {
    const db = await scratch.client();
    let clock = Date.parse('2026-06-01T00:00:00Z');
    for (const m of migrations) {
      await db.exec(m.up.replaceAll('--> statement-breakpoint', ''));
      const snapshot = await introspect(db, { schemas: [schema] });
      clock += 60_000;
      writeMigration(out, { name: m.name, up: m.up, down: m.down ?? null, snapshot, now: new Date(clock) });
    }
  } finally {
    await scratch.dispose();
  }
  return { dir, out, folder: () => readMigrationFolder(out), config: testConfig(dir, out, schema) };
}

/** A resolved config for a project directory (the managed schema in `schemas`). */
export function testConfig(dir: string, out: string, schema: string): ResolvedConfig {
  return {
    file: null, dir, schema: null, out, dbUrl: undefined, directUrl: undefined, schemas: [schema], tablesFilter: undefined, ownedBySql: undefined,
    casing: undefined, history: { schema: 'strata', table: 'migrations' }, lockTimeoutMs: 1000, lockBudgetMs: 5000, statementTimeoutMs: 0,
    lockWaitMs: 60_000, outOfOrder: 'error', production: false, readOnlyUrl: undefined, unsafePlans: false, dataDir: join(dir, 'data'), backupDir: join(dir, 'backups'),
  };
}

/** The two migrations of a small app in schema `s`: users (with a sequence named in a literal), then posts. */
export const APP = (s: string) => [
  {
    name: 'init',
    up: `CREATE SCHEMA IF NOT EXISTS "${s}";\n--> statement-breakpoint\nCREATE SEQUENCE "${s}"."user_no";\n--> statement-breakpoint\nCREATE TABLE "${s}"."users" ("id" integer PRIMARY KEY DEFAULT nextval('${s}.user_no'), "name" text NOT NULL);\n`,
  },
  { name: 'posts', up: `CREATE TABLE "${s}"."posts" ("id" integer PRIMARY KEY, "user_id" integer NOT NULL REFERENCES "${s}"."users" ("id"), "title" text);\n`, down: `DROP TABLE "${s}"."posts";\n` },
];
