import { StrataError } from '@strata/core';
import type { Snapshot } from '@strata/model';
import type { MigrationMeta } from './migration.js';

/**
 * Reads the text of a `meta/<name>.json` file. Every command reads every meta file of the folder,
 * but only the newest snapshot (or the last applied one) is ever looked at: parsing them all took
 * ~20 ms per 1,000-table migration (30 of them: 0.6 s before `status` could answer). A file in the
 * layout Strata writes (canonical JSON: the small fields, then `"snapshot"`, then `"version"`) is
 * parsed without its snapshot, which is parsed on first use; anything else is parsed whole, as
 * before. Returns the parsed value (for `metaError` to judge) or the JSON error.
 *
 * @example
 * const r = parseMetaText(readFileSync('meta/20261206_init.json', 'utf8'), 'meta/20261206_init.json');
 * if ('value' in r) (r.value as MigrationMeta).snapshot; // parsed here, once
 */
export function parseMetaText(text: string, file: string): { value: unknown } | { error: string } {
  const lazy = lazyMeta(text, file);
  if (lazy) return { value: lazy };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The snapshot's version and dialect of a meta read lazily (known without parsing the snapshot). */
const HEADER: unique symbol = Symbol('strata.metaSnapshotHeader');

const SNAPSHOT_KEY = '\n  "snapshot": ';
const VERSION_KEY = '\n  "version": ';
// What a canonical snapshot starts and ends with (fields in key order, two-space indentation).
const SNAPSHOT_HEAD = /^\{\n {4}"dialect": "postgresql",\n {4}"schemas": \{/;
const SNAPSHOT_TAIL = /\n {4}"version": (\d+)\n {2}\},$/;

function lazyMeta(text: string, file: string): MigrationMeta | null {
  // Strings in JSON hold no raw newline: a newline, two spaces and a key is a top-level field.
  const at = text.indexOf(SNAPSHOT_KEY);
  const end = text.lastIndexOf(VERSION_KEY);
  if (at < 0 || end < at) return null;
  const snapshotText = text.slice(at + SNAPSHOT_KEY.length, end);
  // Only the ends are looked at (a regular expression anchored at the end would scan all 4 MB).
  const tail = snapshotText.slice(-48);
  const version = SNAPSHOT_TAIL.exec(tail)?.[1];
  if (!SNAPSHOT_HEAD.test(snapshotText.slice(0, 64)) || version === undefined) return null;
  let head: Record<string, unknown>;
  try {
    head = JSON.parse(text.slice(0, at) + text.slice(end)) as Record<string, unknown>;
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
          parsed = JSON.parse(snapshotText.slice(0, -1)) as Snapshot;
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
