import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createDataMigrationFile, slugify, timestampOf } from './scaffold.js';
import { listDataMigrationFiles } from './migration-files.js';

const dir = () => join(mkdtempSync(join(tmpdir(), 'strata-scaffold-')), 'scripts', 'data');

describe('createDataMigrationFile', () => {
  it('writes <UTC timestamp>_<name>.ts from the template, creating the directory', () => {
    const d = dir();
    const { name, file } = createDataMigrationFile({ dir: d, name: 'Backfill full name!', now: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) });
    expect(name).toBe('20250102030405_backfill_full_name');
    expect(basename(file)).toBe('20250102030405_backfill_full_name.ts');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain("import { defineDataMigration } from '@strata/data';");
    expect(text).toContain("description: 'backfill full name'");
    expect(text).toMatch(/\/\/ await ctx\.batch\(\{ table: 'users'/);
  });

  it('keeps files made in the same second (or after a clock step back) in the order they were made', () => {
    const d = dir();
    const now = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 900));
    const a = createDataMigrationFile({ dir: d, name: 'a', now });
    const b = createDataMigrationFile({ dir: d, name: 'b', now });
    const c = createDataMigrationFile({ dir: d, name: 'c', now: new Date(Date.UTC(2024, 0, 1)) });
    expect([a.name, b.name, c.name]).toEqual(['20250102030405_a', '20250102030406_b', '20250102030407_c']);
    expect(listDataMigrationFiles(d).map((f) => f.name)).toEqual([a.name, b.name, c.name]);
  });

  it('refuses a name without letters or digits', () => {
    expect(() => createDataMigrationFile({ dir: dir(), name: ' !! ' })).toThrow('has no letters or digits');
  });

  it('lists only migration files, and refuses two files for one name', () => {
    const d = dir();
    createDataMigrationFile({ dir: d, name: 'one', now: new Date(Date.UTC(2025, 0, 1)) });
    writeFileSync(join(d, 'helpers.ts'), 'export const x = 1;');
    writeFileSync(join(d, '20250101000000_one.d.ts'), '');
    expect(listDataMigrationFiles(d).map((f) => f.name)).toEqual(['20250101000000_one']);
    writeFileSync(join(d, '20250101000000_one.js'), '');
    expect(() => listDataMigrationFiles(d)).toThrow('two files for the data migration 20250101000000_one');
  });

  it('slugs and timestamps', () => {
    expect(slugify('  Fix: users/emails ')).toBe('fix_users_emails');
    expect(timestampOf(new Date(Date.UTC(2025, 11, 31, 23, 59, 58)))).toBe('20251231235958');
  });
});
