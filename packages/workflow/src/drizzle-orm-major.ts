import { join } from 'node:path';
import { drizzleOrmVersionFrom } from '@strata/core';

/**
 * The major version of the drizzle-orm that code in `dir` would import (`dir` need not exist
 * yet), or null when none resolves.
 *
 * @example
 * drizzleOrmMajorAt('/app/src/database/schema') // => 0 (drizzle-orm 0.45) or 1 (1.0-rc)
 */
export function drizzleOrmMajorAt(dir: string): number | null {
  const version = drizzleOrmVersionFrom(join(dir, 'index.js'));
  const major = version === null ? Number.NaN : Number.parseInt(version, 10);
  return Number.isNaN(major) ? null : major;
}
