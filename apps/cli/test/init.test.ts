import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS, createTestDatabase, runCli } from '@strata/testing';

const dirs: string[] = [];
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-init-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('strata init', () => {
  it('writes the config, an example table, the migration folder, .gitignore lines and the db:* scripts it lacks', async () => {
    const dir = project();
    writeFileSync(join(dir, 'package.json'), `{\n    "name": "app",\n    "scripts": {\n        "db:migrate": "my-own-migrate"\n    }\n}\n`);
    writeFileSync(join(dir, '.gitignore'), 'node_modules');
    const r = await runCli(['init'], { cwd: dir });
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created strata.config.ts');
    expect(r.stdout).toContain('created src/database/schema/users.ts');
    const config = readFileSync(join(dir, 'strata.config.ts'), 'utf8');
    expect(config).toContain("dbUrl: process.env.DATABASE_URL ?? 'pglite:.strata/pglite'");
    expect(config).toContain("schema: './src/database/schema'");
    expect(existsSync(join(dir, 'database/migrations'))).toBe(true);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['node_modules', '.strata/', 'backups/']));
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['db:migrate']).toBe('my-own-migrate'); // kept: only absent scripts are added
    expect(pkg.scripts['db:generate']).toBe('strata generate');
    expect(pkg.scripts['db:check']).toBe('strata check');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toContain('\n    "name"'); // its indentation kept
  });

  it('refuses to overwrite, exit 2 naming the file, and changes nothing', async () => {
    const dir = project();
    writeFileSync(join(dir, 'strata.config.ts'), 'export default {};\n');
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'strata.config.ts'));
    expect(r.stderr).toContain('already exists');
    expect(readFileSync(join(dir, 'strata.config.ts'), 'utf8')).toBe('export default {};\n');
    expect(existsSync(join(dir, 'src'))).toBe(false);
    expect(existsSync(join(dir, 'package.json'))).toBe(false);
    expect(existsSync(join(dir, '.gitignore'))).toBe(false);
  });

  for (const backend of BACKENDS) {
    it(`leaves a project where generate, migrate and check work [${backend}]`, async () => {
      const dir = project();
      // drizzle-orm for the schema code, as an app that installed it has.
      symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
      expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
      const tdb = backend === 'postgres' ? await createTestDatabase('postgres') : null;
      // The config's own default (embedded PGlite in .strata/pglite) on PGlite; DATABASE_URL on PostgreSQL.
      const env = { DATABASE_URL: tdb?.url };
      try {
        const gen = await runCli(['generate', '--name', 'init'], { cwd: dir, env });
        expect(gen.stderr).not.toMatch(/error/i);
        expect(gen.code).toBe(0);
        const sql = readFileSync(join(dir, 'database/migrations', readdirSync(join(dir, 'database/migrations')).find((f) => /_init\.sql$/.test(f))!), 'utf8');
        expect(sql).toContain('CREATE TABLE "public"."users"');
        const mig = await runCli(['migrate'], { cwd: dir, env });
        expect(mig.code).toBe(0);
        expect(mig.stdout).toContain('1 migration applied');
        const check = await runCli(['check'], { cwd: dir, env });
        expect(check.stdout + check.stderr).not.toMatch(/problem/i);
        expect(check.code).toBe(0);
        if (backend === 'pglite') expect(existsSync(join(dir, '.strata/pglite'))).toBe(true);
      } finally {
        await tdb?.dispose();
      }
    });
  }
});
