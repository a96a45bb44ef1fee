import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StrataError } from '@strata/core';
import { canonicalJson } from './canonical-json.js';
import { parseSnapshot } from './parse-snapshot.js';
import type { Snapshot } from './snapshot.js';

/**
 * Reads and validates a snapshot file (see `parseSnapshot`). A missing file is `NOT_FOUND`;
 * text that is not JSON is `SNAPSHOT_INVALID` with the file and the parser's message.
 *
 * @example
 * const snapshot = await readSnapshotFile('migrations/meta/20240101120000_init.snapshot.json');
 */
export async function readSnapshotFile(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ENOENT') throw new StrataError('NOT_FOUND', `Snapshot file ${path} does not exist`, { cause });
    throw cause;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new StrataError('SNAPSHOT_INVALID', `${path}: not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return parseSnapshot(json, path);
}

/**
 * Writes a snapshot as canonical JSON (sorted keys, two-space indent, final newline), so equal
 * snapshots give byte-identical files. The snapshot is validated first, and the file is replaced
 * atomically (written beside it, then renamed); parent directories are created.
 *
 * @example
 * await writeSnapshotFile('migrations/meta/20240101120000_init.snapshot.json', snapshot);
 */
export async function writeSnapshotFile(path: string, snapshot: Snapshot): Promise<void> {
  const text = canonicalJson(parseSnapshot(snapshot, path));
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, path);
}
