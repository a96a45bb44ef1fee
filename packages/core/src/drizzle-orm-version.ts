import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The version of the drizzle-orm that code in the file `from` would import (resolved from there
 * as Node resolves it; the file need not exist), or null when none resolves. drizzle-orm does not
 * export its package.json, so it is found above the resolved entry file.
 *
 * @example
 * drizzleOrmVersionFrom('/app/src/db/schema.ts') // => '0.45.4' (or '1.0.0-rc.5', or null)
 */
export function drizzleOrmVersionFrom(from: string): string | null {
  let entry: string;
  try {
    entry = createRequire(from).resolve('drizzle-orm');
  } catch {
    return null;
  }
  for (let d = dirname(entry); d !== dirname(d); d = dirname(d)) {
    const file = join(d, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'drizzle-orm') return typeof pkg.version === 'string' ? pkg.version : null;
    } catch {
      return null;
    }
  }
  return null;
}
