// Slow (packs every package, then a plain `npm install` from the tarballs): belongs in the slow lane.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@strata/testing';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const drizzleVersion = (JSON.parse(readFileSync(join(root, 'packages/schema/node_modules/drizzle-orm/package.json'), 'utf8')) as { version: string }).version;

function run(cmd: string, args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  // An undefined value would reach the child as the string "undefined": drop those keys.
  const merged = Object.fromEntries(Object.entries({ ...process.env, NO_COLOR: '1', ...env }).filter(([, v]) => v !== undefined));
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: merged, timeout: 400_000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

// An app's start-up module: migrate over its own connection, and list what node loaded on the way.
const APP = `
import { register } from 'node:module';
register('./hooks.mjs', import.meta.url);
const { migrate } = await import('@strata/migrate');
let db, query, close;
if (process.env.APP_DATABASE_URL) {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.Pool({ connectionString: process.env.APP_DATABASE_URL });
  db = drizzle(pool); query = (s) => pool.query(s); close = () => pool.end();
} else {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const instance = new PGlite();
  db = drizzle(instance); query = (s) => instance.query(s); close = () => instance.close();
}
const r = await migrate({ db, folder: './database/migrations' });
const { rows } = await query("select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'users'");
console.log(JSON.stringify({ applied: r.applied.map((m) => m.name), users: rows[0].n }));
await close();
`;

/** Reports every module of the schema loader, esbuild, jiti or the SQL parser that gets resolved. */
const HOOKS = String.raw`
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (/node_modules\/(esbuild|jiti|libpg-query|@strata\/schema|@strata\/sql)\//.test(r.url)) process.stderr.write('LOADED ' + r.url + '\n');
  return r;
}
`;

describe('installable packages (npm run pack, then plain npm install outside the repository)', () => {
  let work: string;
  let tarballs: string[];
  let app: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'strata-pack-'));
    const out = execFileSync(process.execPath, [join(root, 'scripts/pack.mjs'), '--no-build', '--out', join(work, 'tarballs')], { encoding: 'utf8', cwd: root });
    tarballs = out.trim().split('\n');
    app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2)}\n`);
    const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, `drizzle-orm@${drizzleVersion}`], app);
    if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
  }, 600_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packs every public package, none of the private ones, with real version ranges', () => {
    const names = tarballs.map((t) => t.split('/').pop());
    for (const n of ['cli', 'core', 'db', 'diff', 'migrate', 'model', 'runner', 'schema', 'sql', 'workflow', 'backup', 'data', 'studio']) {
      expect(names).toContain(`strata-${n}-0.1.0.tgz`);
    }
    expect(names.some((n) => /testing|bench|hivemind|examples/.test(n!))).toBe(false);
    for (const t of tarballs) {
      const manifest = execFileSync('tar', ['-xzOf', t, 'package/package.json'], { encoding: 'utf8' });
      const deps = (JSON.parse(manifest) as { dependencies?: Record<string, string> }).dependencies ?? {};
      for (const [name, range] of Object.entries(deps)) expect(`${name}@${range}`).not.toContain('workspace:');
    }
  });

  it('every tarball passes publint (strict) and arethetypeswrong (ESM-only): exports, types and files agree', () => {
    const bin = (name: string) => join(root, 'node_modules', '.bin', name);
    for (const t of tarballs) {
      const lint = run(bin('publint'), ['run', t, '--strict'], root);
      expect(lint.code, `publint ${t}\n${lint.stdout}${lint.stderr}`).toBe(0);
      const types = run(bin('attw'), [t, '--profile', 'esm-only', '--format', 'ascii'], root);
      expect(types.code, `attw ${t}\n${types.stdout}${types.stderr}`).toBe(0);
    }
  }, 600_000);

  it('strata init, generate, migrate and check work in the installed project [pglite]', () => {
    const strata = (args: string[]) => run(join(app, 'node_modules/.bin/strata'), args, app, { DATABASE_URL: undefined });
    const init = strata(['init']);
    expect(init.stderr).not.toMatch(/error/i);
    expect(init.code).toBe(0);
    const gen = strata(['generate', '--name', 'init']);
    expect(gen.stderr).not.toMatch(/error/i);
    expect(gen.code).toBe(0);
    expect(readdirSync(join(app, 'database/migrations')).some((f) => /_init\.sql$/.test(f))).toBe(true);
    const mig = strata(['migrate']);
    expect(mig.stderr).not.toMatch(/error/i);
    expect(mig.code).toBe(0);
    expect(mig.stdout).toContain('1 migration applied');
    const check = strata(['check']);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('in sync');
  });

  it('the runtime migrate() applies the folder from an app module, loading no schema loader or SQL parser [pglite]', () => {
    writeFileSync(join(app, 'app.mjs'), APP);
    writeFileSync(join(app, 'hooks.mjs'), HOOKS);
    const r = run(process.execPath, ['app.mjs'], app);
    expect(r.stderr).not.toContain('LOADED');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as { applied: string[]; users: number };
    expect(result.applied).toHaveLength(1);
    expect(result.users).toBe(1);
    expect(readFileSync(join(app, 'app.mjs'), 'utf8')).toContain("import('@strata/migrate')");
  });

  it('the runtime migrate() applies the folder over a node-postgres Pool [postgres]', async () => {
    const tdb = await createTestDatabase('postgres');
    try {
      const r = run(process.execPath, ['app.mjs'], app, { APP_DATABASE_URL: tdb.url });
      expect(r.stderr).not.toContain('LOADED');
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as { applied: string[]; users: number };
      expect(result.applied).toHaveLength(1);
      expect(result.users).toBe(1);
      const again = run(process.execPath, ['app.mjs'], app, { APP_DATABASE_URL: tdb.url });
      expect(JSON.parse(again.stdout.trim().split('\n').pop()!)).toEqual({ applied: [], users: 1 });
    } finally {
      await tdb.dispose();
    }
  });
});
