import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireFileLock } from './file-lock.js';
import { acquireDirLock } from './dir-lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'strata-lock-'));

describe('file lock (migration lock through a served embedded database)', () => {
  it('excludes a second holder until released, telling it who waits on whom', async () => {
    const path = join(dir(), 'x.lock');
    const release = await acquireFileLock(path, { waitMs: 1000 });
    let holder: number | null = null;
    await expect(acquireFileLock(path, { waitMs: 200, onWait: (i) => (holder = i.holderPid) })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    expect(holder).toBe(process.pid);
    const pending = acquireFileLock(path, { waitMs: 5000 });
    setTimeout(release, 150);
    const second = await pending;
    second();
    expect(existsSync(path)).toBe(false);
  });

  it('takes over a lock left by a dead process', async () => {
    const path = join(dir(), 'x.lock');
    writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), since: 'then' }));
    const release = await acquireFileLock(path, { waitMs: 500 });
    release();
  });
});

describe('embedded directory lock', () => {
  it('refuses a second open of the same directory in the same process', () => {
    const data = join(dir(), 'data');
    const lock = acquireDirLock(data);
    expect(() => acquireDirLock(data)).toThrow(/already open in this process/);
    lock.release();
    acquireDirLock(data).release();
  });
});
