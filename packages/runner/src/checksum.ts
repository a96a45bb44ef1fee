import { createHash } from 'node:crypto';

/**
 * Strata's checksum of some bytes: `h1:` and the base64 SHA-256 (the form of `strata.sum`).
 *
 * @example
 * h1('select 1;\n') // => 'h1:…'
 */
export function h1(content: string | Uint8Array): string {
  return `h1:${createHash('sha256').update(content).digest('base64')}`;
}

/** The hex SHA-256 drizzle-orm's migrator stores in `__drizzle_migrations.hash`. */
export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
