import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { runCli, type TestDatabase } from '@strata/testing';

/**
 * A project folder for the CLI tests: `schema.ts` as given, a config writing to `./migrations`,
 * and drizzle-orm reachable through a node_modules link.
 *
 * @example
 * const dir = schemaProject('strata-cli-multistep-', USERS('name: text(\'name\')'));
 */
export function schemaProject(prefix: string, schema: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'schema.ts'), schema);
  writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };\n`);
  return dir;
}

/**
 * A query helper on the test database `db()` returns, closing its client after each query so
 * the CLI's own processes never wait behind it.
 *
 * @example
 * const sql = rowsOf(() => tdb);
 * const rows = await sql<{ n: number }>('select 1 as n');
 */
export function rowsOf(db: () => TestDatabase) {
  return async <T extends Record<string, unknown>>(text: string): Promise<T[]> => {
    const d = db();
    const client = await d.client();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await d.closeClient();
    }
  };
}

/**
 * Generates a project's first migration (without a database) and applies it at `url`, both
 * expected to succeed: where most multi-step tests start.
 *
 * @example
 * await generateAndMigrate(dir, tdb.url);
 */
export async function generateAndMigrate(dir: string, url: string): Promise<void> {
  const g = await runCli(['generate', '--name', 'init'], { cwd: dir, timeoutMs: 180_000 });
  expect(g.code, g.stderr).toBe(0);
  const m = await runCli(['migrate', '--url', url], { cwd: dir, timeoutMs: 180_000 });
  expect(m.code, m.stderr).toBe(0);
}
