import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { schemaProject } from './project-fixture.js';

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
  // Failures report in JSON too; a flag naming no migration is a usage error.
  { args: ['migrate', '--to', 'no_such_migration'], code: 2 },
  { args: ['rollback', '--to', 'no_such_migration'], code: 2 },
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

// Usage errors are found before any database is opened: no --url is given, and none is needed.
describe('usage errors: exit 2, and one JSON object on stdout with --json', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'strata-usage-'));
  writeFileSync(join(cwd, 'strata.config.ts'), `export default { schema: './schema.ts', out: './migrations' };`);

  it.each([
    [['migrat'], "unknown command 'migrat'", 'Did you mean migrate?'],
    [['restore'], "missing required argument 'file'", 'Run with --help for usage.'],
    [['rollback', '--steps', '2', '--to', 'x'], "option '--steps <n>' cannot be used with option '--to <name>'", 'Run with --help for usage.'],
  ])('strata %j', async (args, message, hint) => {
    const text = await runCli(args, { cwd });
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(message);
    const json = await runCli([...args, '--json'], { cwd });
    expect(json.code).toBe(2);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, error: { code: 'USAGE', message, hint } });
  });

  it('a malformed --url and a --config that does not exist exit 2, naming the problem', async () => {
    const url = await runCli(['status', '--url', 'postgres://app:secret@:x/db', '--json'], { cwd });
    expect(url.code).toBe(2);
    expect(JSON.parse(url.stdout).error.code).toBe('URL_INVALID');
    expect(url.stdout).not.toContain('secret');
    const config = await runCli(['--config', 'nope.ts', 'status'], { cwd });
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('config file not found');
  });
});

// Schema code is read before any database is opened: generate needs none.
describe('schema code Strata cannot carry out is refused, with the error in JSON', () => {
  it('a policy linked to drizzle-orm/supabase realtime.messages (outside the managed schemas) stops generate instead of being left out', async () => {
    const cwd = schemaProject('strata-realtime-policy-', `import { sql } from 'drizzle-orm';
import { pgPolicy, pgTable, text } from 'drizzle-orm/pg-core';
import { authenticatedRole, realtimeMessages } from 'drizzle-orm/supabase';

export const rooms = pgTable('rooms', { topic: text('topic').primaryKey() });
export const presence = pgPolicy('authenticated can read presence', {
  for: 'select', to: authenticatedRole, using: sql\`\${realtimeMessages.extension} = 'presence'\`,
}).link(realtimeMessages);
`);
    const r = await runCli(['generate', '--name', 'init', '--json'], { cwd });
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stdout) as { error: { code: string; message: string; hint: string } };
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.message).toContain('policy "authenticated can read presence"');
    expect(error.message).toContain('linked to table realtime.messages, outside the managed schemas');
    expect(error.hint).toContain('strata generate --custom');
    expect(existsSync(join(cwd, 'migrations'))).toBe(false);
  });
});
