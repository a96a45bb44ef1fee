import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

const SCHEMA = `import { integer, pgTable, text } from 'drizzle-orm/pg-core';

export const notes = pgTable('notes', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  body: text('body').notNull().default(''),
});
`;

/** Every command that reports something, with the exit code it should give here; stdout must be one JSON value. */
const STEPS: { args: string[]; code: number }[] = [
  { args: ['doctor'], code: 0 },
  { args: ['generate', '--name', 'init'], code: 0 },
  { args: ['generate'], code: 0 },
  { args: ['status'], code: 0 },
  { args: ['check'], code: 1 },
  { args: ['migrate', '--dry-run'], code: 0 },
  { args: ['migrate'], code: 0 },
  { args: ['check'], code: 0 },
  { args: ['push', '--dry-run'], code: 0 },
  { args: ['rollback', '--dry-run'], code: 0 },
  { args: ['rollback'], code: 0 },
  { args: ['migrate'], code: 0 },
  { args: ['baseline'], code: 0 },
  { args: ['hash'], code: 0 },
  { args: ['pull', '--out', 'pulled'], code: 0 },
  { args: ['backup', '--out', 'all.strata'], code: 0 },
  { args: ['snapshot', 'create', 'one'], code: 0 },
  { args: ['snapshot', 'list'], code: 0 },
  { args: ['snapshot', 'restore', 'one', '--yes'], code: 0 },
  { args: ['snapshot', 'drop', 'one'], code: 0 },
  { args: ['data', 'new', 'noop'], code: 0 },
  { args: ['data', 'run', '--dry-run'], code: 0 },
  { args: ['data', 'run'], code: 0 },
  { args: ['data', 'status'], code: 0 },
  { args: ['restore', 'all.strata', '--clean', '--yes'], code: 0 },
  { args: ['drop', '--force'], code: 0 },
  // Failures report in JSON too.
  { args: ['migrate', '--to', 'no_such_migration'], code: 1 },
];

describeBackends('--json output of every command', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = mkdtempSync(join(tmpdir(), 'strata-json-'));
    // The schema file imports drizzle-orm: resolve it as a project would.
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), SCHEMA);
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };`);
  });
  afterAll(async () => tdb?.dispose());

  it.each(STEPS.map((s) => [s.args.join(' '), s] as const))('strata %s --json prints parseable JSON', async (_name, step) => {
    const r = await runCli([...step.args, '--json', '--url', tdb.url], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(step.code);
    let parsed: unknown;
    expect(() => (parsed = JSON.parse(r.stdout)), `stdout of strata ${step.args.join(' ')}:\n${r.stdout}`).not.toThrow();
    expect(typeof parsed).toBe('object');
    expect(parsed).not.toBeNull();
  });
});
