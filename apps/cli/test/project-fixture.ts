import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from '@strata/testing';

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
