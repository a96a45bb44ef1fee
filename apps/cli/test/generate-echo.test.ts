import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '@strata/testing';
import { schemaProject } from './project-fixture.js';

// `tables` tables of two indexed columns each: three created objects per table.
const SCHEMA = (tables: number, first = 1) =>
  `import { index, integer, pgTable } from 'drizzle-orm/pg-core';\n` +
  Array.from({ length: tables }, (_, i) => {
    const n = `t${String(first + i).padStart(3, '0')}`;
    return `export const ${n} = pgTable('${n}', { id: integer('id').primaryKey(), a: integer('a'), b: integer('b') }, (t) => [index('${n}_a').on(t.a), index('${n}_b').on(t.b)]);\n`;
  }).join('');

const project = (schema: string) => schemaProject('strata-cli-echo-', schema);

const upFile = (dir: string, name: string) => {
  const file = readdirSync(join(dir, 'migrations')).find((f) => f.endsWith(`_${name}.sql`))!;
  return readFileSync(join(dir, 'migrations', file), 'utf8');
};

// generate reads no database: this file needs no backend.
describe('generate on a big change', () => {
  it('lists 200 created objects and 200 lines of SQL, says how many more and where, and writes them all', async () => {
    const dir = project(SCHEMA(100));
    const r = await runCli(['generate', '--name', 'init'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('300 changes: 300 created');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('+ '))).toHaveLength(200);
    expect(r.stdout).toContain('… 100 more created or altered objects (all in the migration)');
    const sql = upFile(dir, 'init');
    const lines = sql.trimEnd().split('\n');
    expect(r.stdout).toContain(lines.slice(0, 200).join('\n'));
    expect(r.stdout).not.toContain('CREATE INDEX "t100_b"');
    expect(r.stdout).toMatch(new RegExp(`… ${lines.length - 200} more lines in migrations/\\d+_init\\.sql`));
    expect(sql).toContain('CREATE INDEX "t100_b"'); // the last statement: in the file, not printed
  }, 120_000);

  it('always lists every drop, however many objects were created', async () => {
    const dir = project(SCHEMA(100));
    expect((await runCli(['generate', '--name', 'init'], { cwd: dir, timeoutMs: 120_000 })).code).toBe(0);
    // 90 tables dropped, 90 created: nothing is a rename question (the new names share no column set).
    writeFileSync(join(dir, 'schema.ts'), SCHEMA(10) + SCHEMA(90, 201).replace(/^import .*\n/, '').replaceAll("b: integer('b')", "c: integer('c')").replaceAll('t.b', 't.c'));
    const r = await runCli(['generate', '--name', 'swap', '--no-renames'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const drops = r.stdout.split('\n').filter((l) => l.startsWith('- '));
    expect(drops.length).toBeGreaterThanOrEqual(90);
    expect(drops.some((l) => l.includes('"t100"'))).toBe(true);
  }, 120_000);
});
