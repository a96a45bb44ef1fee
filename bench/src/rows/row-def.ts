import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../bench-context.js';
import type { DataFixtures } from '../data-fixtures.js';
import type { Scenario } from '../scenario.js';
import type { SizeFixtures } from '../size-fixtures.js';
import type { SmallMigrations } from '../small-migrations.js';
import type { StallFixtures } from '../stall/stall-fixtures.js';

/** What a row builds its scenario from. */
export interface RowEnv {
  ctx: BenchContext;
  fixtures(size: number): SizeFixtures;
  data: DataFixtures;
  small: SmallMigrations;
  stall: StallFixtures;
  /** Databases of the fleet row. */
  fleetDbs: number;
}

/** One line of the results table. */
export interface RowDef {
  id: string;
  title: string;
  /** Strata commands the row runs; the row waits for them to exist in the built CLI. */
  needs: string[];
  /** Run at every schema size (true), or once at its own size. */
  sized: boolean;
  /** A row that is not `sized` but runs once per size of its own (rows of a table), e.g. the write-stall rows. */
  ownSizes?(env: RowEnv): number[];
  /** A longer per-run limit than --timeout for this row (the guide's row-by-row loop on a million rows). */
  minTimeoutS?: number;
  /** The other side's label, also shown when it is skipped. */
  otherLabel: string;
  scenario(env: RowEnv, size: number): Scenario;
}

/** A database of its own for one run: empty, or a copy of a template. */
export async function freshDatabase(ctx: BenchContext, prefix: string, template?: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = await ctx.server.createDatabase(prefix, template);
  return { name, url: ctx.server.url(name), drop: () => ctx.server.dropDatabase(name) };
}

/** Up-migration files of a folder (Strata's `.down.sql` files left out). */
export function upSqlFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.sql') && !f.endsWith('.down.sql')).map((f) => join(dir, f));
}

/** `CREATE TABLE` statements in a text. */
export const createTableCount = (sql: string): number => (sql.match(/CREATE TABLE/gi) ?? []).length;

/** `pgTable('tbl_…'` declarations in TypeScript files under a directory. */
export function pgTableCount(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    n += (text.match(/pgTable\(\s*['"`]tbl_\d+['"`]/g) ?? []).length;
  }
  return n;
}

/** Parses a `--json` result from stdout. */
export function jsonOut<T>(stdout: string): T {
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new Error(`expected JSON on stdout, got: ${stdout.slice(0, 300)}`);
  }
}
