import { chmodSync, closeSync, fchmodSync, openSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { StrataError } from '@strata/core';

/** What the lock file beside an embedded data directory says about its holder. */
export interface DirLockInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** Set by a holder that serves the database to other processes (e.g. `strata studio`); without the password. */
  serveUrl?: string;
  /**
   * The password `serveUrl` requires (random, per run). The lock file is mode 0600, so only
   * processes of the same user read it: the served database is no open door to the machine.
   */
  serveSecret?: string;
}

/**
 * The URL that reaches a served embedded database: `serveUrl` with `serveSecret` as its password.
 *
 * @example
 * servedUrl('postgres://postgres@127.0.0.1:5000/postgres', 's3cret') // => 'postgres://postgres:s3cret@127.0.0.1:5000/postgres'
 */
export function servedUrl(serveUrl: string, secret: string | undefined): string {
  if (!secret) return serveUrl;
  const u = new URL(serveUrl);
  u.password = secret;
  return u.toString();
}

/** Lock files this process holds: a second open of the same directory here must fail too, not take over. */
const heldHere = new Set<string>();

export function lockPathFor(dataDir: string): string {
  return join(dirname(dataDir), `${basename(dataDir)}.lock`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of a data directory's lock, or null when it is free (or held by a dead process). */
export function readDirLock(dataDir: string): DirLockInfo | null {
  let info: DirLockInfo;
  try {
    info = JSON.parse(readFileSync(lockPathFor(dataDir), 'utf8')) as DirLockInfo;
  } catch (e) {
    // A lock this user cannot read belongs to someone else: never take it over as if stale.
    if ((e as NodeJS.ErrnoException).code === 'EACCES') {
      throw new StrataError('DATABASE_LOCKED', `the embedded database ${dataDir} is locked by another user (${lockPathFor(dataDir)} is not readable)`, {
        hint: 'Run Strata as the user who holds it, or wait until that process ends.',
      });
    }
    return null;
  }
  if (info.host !== hostname() || !alive(info.pid) || info.pid === process.pid) return info.pid === process.pid ? info : null;
  return info;
}

export interface DirLock {
  readonly path: string;
  /** Rewrites the lock file, e.g. to advertise a `serveUrl`. */
  update(extra: Partial<DirLockInfo>): void;
  release(): void;
}

/**
 * Takes the exclusive lock on an embedded data directory. Two processes that open one PGlite
 * directory both succeed and one's writes vanish, so the second one must be told who holds it.
 *
 * @example
 * const lock = acquireDirLock('/app/.strata/pglite'); … lock.release();
 */
export function acquireDirLock(dataDir: string, command = process.argv.slice(1).join(' ')): DirLock {
  const path = lockPathFor(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  if (heldHere.has(path)) {
    throw new StrataError('DATABASE_LOCKED', `the embedded database ${dataDir} is already open in this process`, {
      hint: 'Reuse the open client, or close it before opening the directory again.',
    });
  }
  let info: DirLockInfo = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      // 0600: the lock may carry the password of the served database (serveSecret).
      const fd = openSync(path, 'wx', 0o600);
      fchmodSync(fd, 0o600);
      writeFileSync(fd, JSON.stringify(info));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw e;
      const holder = readDirLock(dataDir);
      if (holder && holder.pid !== process.pid) {
        throw new StrataError('DATABASE_LOCKED', `the embedded database ${dataDir} is in use by process ${holder.pid} (${holder.command}, since ${holder.since})`, {
          hint: `Stop that process first, or use a PostgreSQL server with --url. (Lock file: ${path})`,
        });
      }
      // A lock left by a dead process (or an unreadable one) is stale: take it over.
      rmSync(path, { force: true });
    }
  }
  heldHere.add(path);
  const onExit = () => rmSync(path, { force: true });
  process.once('exit', onExit);
  let released = false;
  return {
    path,
    update(extra) {
      info = { ...info, ...extra };
      writeFileSync(path, JSON.stringify(info), { mode: 0o600 });
      chmodSync(path, 0o600);
    },
    release() {
      if (released) return;
      released = true;
      heldHere.delete(path);
      process.removeListener('exit', onExit);
      rmSync(path, { force: true });
    },
  };
}
