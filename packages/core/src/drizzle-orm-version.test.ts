import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { drizzleOrmVersionFrom } from './drizzle-orm-version.js';

const schemaPackage = fileURLToPath(new URL('../../schema/', import.meta.url));

describe('drizzleOrmVersionFrom', () => {
  it('reads the version of the drizzle-orm that resolves from the file, from its package.json', () => {
    // The schema package depends on drizzle-orm: its installed package.json says which version.
    const entry = createRequire(join(schemaPackage, 'src/x.ts')).resolve('drizzle-orm');
    let dir = dirname(entry);
    while (!readFileSync(join(dir, 'package.json'), 'utf8').includes('"name": "drizzle-orm"')) dir = dirname(dir);
    const installed = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    expect(drizzleOrmVersionFrom(join(schemaPackage, 'src/not-there-yet/schema.ts'))).toBe(installed);
  });
});
