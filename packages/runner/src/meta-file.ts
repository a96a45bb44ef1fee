import { StrataError } from '@strata/core';
import type { Snapshot } from '@strata/model';
import type { MigrationMeta } from './migration.js';

/**
 * Reads a `meta/<name>.json` file's bytes. Every command reads every meta file of the folder, but
 * only the newest snapshot (or the last applied one) is ever looked at: parsing them all took
 * ~20 ms per 1,000-table migration (30 of them: 0.6 s before `status` could answer). A file in the
 * layout Strata writes (canonical JSON: the small fields, then `"snapshot"`, then `"version"`) is
 * parsed without its snapshot, which is decoded and parsed on first use; anything else is parsed
 * whole, as before. Returns the parsed value (for `metaError` to judge) or the JSON error.
 *
 * @example
 * const r = parseMetaFile(readFileSync('meta/20261206_init.json'), 'meta/20261206_init.json');
 * if ('value' in r) (r.value as MigrationMeta).snapshot; // parsed here, once
 */
export function parseMetaFile(bytes: Buffer, file: string): { value: unknown } | { error: string } {
  const lazy = lazyMeta(bytes, file);
  if (lazy) return { value: lazy };
  try {
    return { value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The snapshot's version and dialect of a meta read lazily (known without parsing the snapshot). */
const HEADER: unique symbol = Symbol('strata.metaSnapshotHeader');

// Strings in JSON hold no raw newline: a newline, two spaces and a key is a top-level field.
const SNAPSHOT_KEY = Buffer.from('\n  "snapshot": ');
const VERSION_KEY = Buffer.from('\n  "version": ');
// What a canonical snapshot starts and ends with (fields in key order, two-space indentation).
const SNAPSHOT_HEAD = /^\{\n {4}"dialect": "postgresql",\n {4}"schemas": \{/;
const SNAPSHOT_TAIL = /\n {4}"version": (\d+)\n {2}\},$/;

function lazyMeta(bytes: Buffer, file: string): MigrationMeta | null {
  const at = bytes.indexOf(SNAPSHOT_KEY);
  const end = bytes.lastIndexOf(VERSION_KEY);
  if (at < 0 || end < at) return null;
  const start = at + SNAPSHOT_KEY.length;
  // Only the ends are decoded and looked at (the middle is most of the file).
  const version = SNAPSHOT_TAIL.exec(bytes.toString('utf8', Math.max(start, end - 48), end))?.[1];
  if (!SNAPSHOT_HEAD.test(bytes.toString('utf8', start, Math.min(end, start + 64))) || version === undefined) return null;
  let head: Record<string, unknown>;
  try {
    head = JSON.parse(bytes.toString('utf8', 0, at) + bytes.toString('utf8', end)) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof head !== 'object' || head === null || Array.isArray(head) || 'snapshot' in head) return null;
  let parsed: Snapshot | undefined;
  Object.defineProperty(head, 'snapshot', {
    enumerable: true,
    configurable: true,
    get(): Snapshot {
      if (parsed === undefined) {
        try {
          // Up to the comma that ends the field.
          parsed = JSON.parse(bytes.toString('utf8', start, end - 1)) as Snapshot;
        } catch (e) {
          throw new StrataError('MIGRATIONS_CORRUPT', `${file}: the snapshot is not valid JSON: ${(e as Error).message}`, {
            hint: 'Meta files are written by Strata; restore this one from version control.',
          });
        }
      }
      return parsed;
    },
  });
  // What metaError checks of the snapshot, read from its first and last lines.
  Object.defineProperty(head, HEADER, { value: { version: Number(version), dialect: 'postgresql' }, enumerable: false });
  return head as unknown as MigrationMeta;
}

/** The snapshot's version and dialect, without parsing a lazily read snapshot. */
export function snapshotHeader(meta: Record<string, unknown>): { version: unknown; dialect: unknown; hasSchemas: boolean } {
  const known = (meta as { [HEADER]?: { version: number; dialect: string } })[HEADER];
  if (known) return { ...known, hasSchemas: true };
  const s = meta.snapshot as Record<string, unknown> | null | undefined;
  if (typeof s !== 'object' || s === null) return { version: undefined, dialect: undefined, hasSchemas: false };
  return { version: s.version, dialect: s.dialect, hasSchemas: typeof s.schemas === 'object' && s.schemas !== null };
}
