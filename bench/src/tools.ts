import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessSpec } from './measure.js';

/** The bench package's directory (schema code written under it resolves its drizzle-orm). */
export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_DIR = join(BENCH_DIR, '..');

/** The built `strata` bin, run as a user runs it: `node apps/cli/dist/bin.js …`. */
export function strataBin(): string {
  const bin = join(REPO_DIR, 'apps/cli/dist/bin.js');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (npm run build)`);
  return bin;
}

/**
 * Which drizzle-kit: `stable` is 0.31 (a devDependency of this package), `rc` is 1.0-rc with its own
 * drizzle-orm 1.0-rc (the workspace package in `drizzle-kit-rc/`; see `RC_MODULES`).
 */
export type DrizzleKitRelease = 'stable' | 'rc';

/** node_modules of the drizzle-kit 1.0-rc package: a project linked to it resolves drizzle-orm 1.0-rc. */
export const RC_MODULES = join(BENCH_DIR, 'drizzle-kit-rc', 'node_modules');

/** drizzle-kit's package directory (its exports hide package.json). */
function drizzleKitDir(release: DrizzleKitRelease): string {
  const dir = join(release === 'rc' ? RC_MODULES : join(BENCH_DIR, 'node_modules'), 'drizzle-kit');
  if (!existsSync(join(dir, 'bin.cjs'))) throw new Error(`${dir} is missing: install the workspace (npm run setup)`);
  return dir;
}

/** drizzle-kit's own bin. */
export const drizzleKitBin = (release: DrizzleKitRelease = 'stable'): string => join(drizzleKitDir(release), 'bin.cjs');

export function drizzleKitVersion(release: DrizzleKitRelease = 'stable'): string {
  return (JSON.parse(readFileSync(join(drizzleKitDir(release), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The commands the built CLI offers (from its help), to tell which rows can run yet. */
export function strataCommands(): Set<string> {
  const r = spawnSync(process.execPath, [strataBin(), '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const names = new Set<string>();
  let inCommands = false;
  for (const line of r.stdout.split('\n')) {
    if (/^Commands:/.test(line)) inCommands = true;
    else if (inCommands && /^\S/.test(line)) inCommands = false;
    else if (inCommands) {
      const m = /^ {2}([a-z][\w-]*)/.exec(line);
      if (m) names.add(m[1]!);
    }
  }
  return names;
}

/** `strata <args> --url <url>`, optionally with a config file. */
export function strata(args: string[], opts: { cwd: string; url?: string; config?: string }): ProcessSpec {
  return {
    cmd: process.execPath,
    args: [strataBin(), ...args, ...(opts.config ? ['--config', opts.config] : []), ...(opts.url ? ['--url', opts.url] : [])],
    cwd: opts.cwd,
    // DATABASE_URL must not reach it: --url is the database. Schema code is transformed on every
    // run (no cache); jiti, which loads a config file with imports, could cache transformed files
    // in the temp dir: off, so every run loads the code as after an edit (or on a CI machine), as
    // drizzle-kit's esbuild-register always does.
    env: { DATABASE_URL: undefined, JITI_FS_CACHE: 'false' },
  };
}

/** `drizzle-kit <args> --config <file>`, the database URL through the environment the config reads. */
export function drizzleKit(args: string[], opts: { config: string; url?: string; release?: DrizzleKitRelease }): ProcessSpec {
  return {
    cmd: process.execPath,
    args: [drizzleKitBin(opts.release), ...args, '--config', opts.config],
    // The config's paths are relative to its directory (see writeDrizzleConfig).
    cwd: dirname(opts.config),
    env: { BENCH_DATABASE_URL: opts.url ?? 'postgres://unused@127.0.0.1:1/unused' },
  };
}

/** `drizzle-kit <args>` without a config (`--version`, `--help`), in `cwd`. */
export function drizzleKitBare(args: string[], cwd: string): ProcessSpec {
  return { cmd: process.execPath, args: [drizzleKitBin(), ...args], cwd };
}

/** Writes `strata.config.ts` into `dir`. */
export function writeStrataConfig(dir: string, config: { schema?: string; out?: string; dataDir?: string; backupDir?: string }): string {
  const file = join(dir, 'strata.config.ts');
  writeFileSync(file, `export default ${JSON.stringify(config, null, 2)};\n`);
  return file;
}

/**
 * Writes `drizzle.config.ts` into `dir`: PostgreSQL, the URL from BENCH_DATABASE_URL (with
 * `driver: 'pglite'`, `drizzle.pglite.config.ts`, the URL being a PGlite data directory). Paths are
 * written relative to `dir` (drizzle-kit prefixes `./` to some paths, breaking absolute ones), so
 * drizzle-kit must run with `dir` as its working directory.
 */
export function writeDrizzleConfig(dir: string, config: { schema?: string; out: string; driver?: 'pglite' }): string {
  const file = join(dir, config.driver === 'pglite' ? 'drizzle.pglite.config.ts' : 'drizzle.config.ts');
  const rel = (p: string) => `./${relative(dir, p)}`;
  const body = {
    dialect: 'postgresql',
    ...(config.driver ? { driver: config.driver } : {}),
    ...(config.schema ? { schema: rel(config.schema) } : {}),
    out: rel(config.out),
  };
  const json = JSON.stringify(body, null, 2).replace(/\n}$/, ',\n  dbCredentials: { url: process.env.BENCH_DATABASE_URL! },\n}');
  writeFileSync(file, `export default ${json};\n`);
  return file;
}
