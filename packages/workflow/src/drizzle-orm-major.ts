import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The major version of the drizzle-orm that code in `dir` would import (resolved from there as
 * Node resolves it; `dir` need not exist yet), or null when none resolves. drizzle-orm does not
 * export its package.json, so it is found above the resolved entry file.
 *
 * @example
 * drizzleOrmMajorAt('/app/src/database/schema') // => 0 (drizzle-orm 0.45) or 1 (1.0-rc)
 */
export function drizzleOrmMajorAt(dir: string): number | null {
  let entry: string;
  try {
    entry = createRequire(join(dir, 'index.js')).resolve('drizzle-orm');
  } catch {
    return null;
  }
  for (let d = dirname(entry); d !== dirname(d); d = dirname(d)) {
    const file = join(d, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name !== 'drizzle-orm') continue;
      const major = Number.parseInt(String(pkg.version), 10);
      return Number.isNaN(major) ? null : major;
    } catch {
      return null;
    }
  }
  return null;
}
