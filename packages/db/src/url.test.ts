import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, resolveDatabaseUrl } from './url.js';

describe('database URLs', () => {
  it('parses every supported form', () => {
    expect(parseDatabaseUrl('postgres://u:p@h:5432/d')).toEqual({ kind: 'postgres', url: 'postgres://u:p@h:5432/d' });
    expect(parseDatabaseUrl('postgresql://h/d').kind).toBe('postgres');
    expect(parseDatabaseUrl('pglite:memory')).toEqual({ kind: 'pglite', dataDir: null });
    expect(parseDatabaseUrl('pglite:./db', '/base')).toEqual({ kind: 'pglite', dataDir: '/base/db' });
    expect(parseDatabaseUrl('pglite:/abs/db')).toEqual({ kind: 'pglite', dataDir: '/abs/db' });
  });

  it('rejects unknown forms with a masked, helpful error', () => {
    expect(() => parseDatabaseUrl('mysql://u:secret@h/d')).toThrow(/unsupported database URL: mysql:\/\/u:\*\*\*\*@h\/d/);
    expect(() => parseDatabaseUrl('pglite:')).toThrow(/needs a directory/);
  });

  it('resolves --url › config › DATABASE_URL › embedded default, empty counting as unset', () => {
    expect(resolveDatabaseUrl({ flag: 'pglite:a', config: 'pglite:b', env: 'pglite:c', configDir: '/x' })).toEqual({ url: 'pglite:a', source: 'flag' });
    expect(resolveDatabaseUrl({ config: 'pglite:b', env: 'pglite:c', configDir: '/x' }).source).toBe('config');
    expect(resolveDatabaseUrl({ config: '', env: 'pglite:c', configDir: '/x' }).source).toBe('env');
    expect(resolveDatabaseUrl({ env: '  ', configDir: '/x' })).toEqual({ url: 'pglite:/x/.strata/pglite', source: 'default' });
  });
});
