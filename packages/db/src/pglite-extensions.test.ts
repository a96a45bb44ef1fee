import { describe, expect, it } from 'vitest';
import { extensionOfMissingType } from './extension-types.js';
import { extensionsCreatedBy, isBundledPgliteExtension, loadPgliteExtensions } from './pglite-extensions.js';

describe('extensionsCreatedBy', () => {
  it('reads the names CREATE EXTENSION statements create, bare (folded), quoted, with IF NOT EXISTS and clauses', () => {
    const sql = `-- CREATE EXTENSION ignored_in_comment;
CREATE EXTENSION IF NOT EXISTS vector;
/* create extension nor_this */ create extension "uuid-ossp" with schema public;
CREATE EXTENSION Citext;
CREATE EXTENSION IF NOT EXISTS vector;
select 'no extension here';`;
    expect(extensionsCreatedBy(sql)).toEqual(['vector', 'uuid-ossp', 'citext']);
    expect(extensionsCreatedBy('create table t (id int)')).toEqual([]);
  });
});

describe('PGlite extensions', () => {
  it('knows what PGlite ships and loads it by its SQL name', async () => {
    expect(isBundledPgliteExtension('vector')).toBe(true);
    expect(isBundledPgliteExtension('uuid-ossp')).toBe(true);
    expect(isBundledPgliteExtension('postgis')).toBe(false);
    const loaded = await loadPgliteExtensions(['vector', 'uuid-ossp', 'plpgsql']);
    expect(Object.keys(loaded)).toEqual(['vector', 'uuid-ossp']);
    expect(loaded['uuid-ossp']!.name).toBe('uuid-ossp');
  });

  it('refuses an extension PGlite does not ship with an error that names it and what to do', async () => {
    await expect(loadPgliteExtensions(['postgis'])).rejects.toMatchObject({
      code: 'EXTENSION_UNAVAILABLE', message: 'the embedded database (PGlite) has no extension "postgis"', hint: expect.stringContaining('PGlite ships only vector, amcheck'),
    });
  });
});

describe('extensionOfMissingType', () => {
  it('names the extension of a missing type, qualified or not, and nothing for other errors', () => {
    expect(extensionOfMissingType({ code: '42704', message: 'type "vector" does not exist' })).toBe('vector');
    expect(extensionOfMissingType({ code: '42704', message: 'type "extensions.halfvec" does not exist' })).toBe('vector');
    expect(extensionOfMissingType({ code: '42704', message: 'type "citext" does not exist' })).toBe('citext');
    expect(extensionOfMissingType({ code: '42704', message: 'type "my_type" does not exist' })).toBeNull();
    expect(extensionOfMissingType({ code: '42P01', message: 'relation "vector" does not exist' })).toBeNull();
  });
});
