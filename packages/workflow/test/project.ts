// A throwaway project for the workflow tests: a schema file, a migration folder, a resolved config.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SchemaConfig } from '../src/index.js';

export interface TestProject {
  dir: string;
  config: SchemaConfig;
  writeSchema(code: string): void;
  remove(): void;
}

/** A project in a temp directory whose schema file holds `code` (drizzle-orm resolvable from it). */
export function createProject(code: string): TestProject {
  const dir = mkdtempSync(join(tmpdir(), 'strata-workflow-'));
  symlinkSync(fileURLToPath(new URL('../../schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
  // A new file per version: the schema loader keeps the modules it loaded for the process's life.
  let version = 0;
  const writeSchema = (text: string) => {
    const file = join(dir, `schema-${++version}.ts`);
    writeFileSync(file, text);
    config.schema = [file];
  };
  const config: SchemaConfig = {
    file: join(dir, 'strata.config.ts'),
    dir,
    schema: [],
    out: join(dir, 'migrations'),
    dbUrl: undefined,
    directUrl: undefined,
    schemas: undefined,
    tablesFilter: undefined,
    casing: undefined,
    history: { schema: 'strata', table: 'migrations' },
    lockTimeoutMs: 5000,
    lockBudgetMs: 60_000,
    statementTimeoutMs: 0,
    lockWaitMs: 60_000,
    outOfOrder: 'error',
    readOnlyUrl: undefined,
    production: false,
    dataDir: join(dir, 'scripts/data'),
    backupDir: join(dir, 'backups'),
  };
  writeSchema(code);
  return { dir, config, writeSchema, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A notes table, with `extra` column lines added. */
export const NOTES = (extra = '') => `import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';

export const notes = pgTable('notes', {
  id: serial('id').primaryKey(),
  body: text('body').notNull().default(''),
  rank: integer('rank').default(-1),${extra}
});
`;
