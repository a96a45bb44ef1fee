import { MAX_IDENTIFIER_BYTES, StrataError } from '@strata/core';

/** Snapshots live in schemas named with this prefix. */
export const SNAPSHOT_SCHEMA_PREFIX = 'strata_snapshot_';
/** The table in each snapshot schema that describes it. */
export const MANIFEST_TABLE = '_strata_manifest';

const MAX_NAME_BYTES = MAX_IDENTIFIER_BYTES - SNAPSHOT_SCHEMA_PREFIX.length;

/**
 * Checks a snapshot name and returns the schema that holds it. Names are letters, digits, `_` and
 * `-` (they become part of a schema name, and are typed on command lines), at most 47 bytes.
 *
 * @example
 * snapshotSchema('before-v2') // => 'strata_snapshot_before-v2'
 */
export function snapshotSchema(name: string): string {
  if (!/^[\p{L}\p{N}_-]+$/u.test(name)) {
    throw new StrataError('USAGE', `invalid snapshot name "${name}": use letters, digits, "_" and "-"`, { hint: 'e.g. strata snapshot create before-v2' });
  }
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    throw new StrataError('USAGE', `snapshot name "${name}" is too long: at most ${MAX_NAME_BYTES} bytes (it becomes the schema ${SNAPSHOT_SCHEMA_PREFIX}<name>)`);
  }
  return `${SNAPSHOT_SCHEMA_PREFIX}${name}`;
}
