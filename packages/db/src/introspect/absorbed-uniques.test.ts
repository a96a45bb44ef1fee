import { expect, it } from 'vitest';
import { SNAPSHOT_VERSION, emptySchema, type Snapshot, type Table } from '@strata/schema';
import { recognizeAbsorbedUniques } from './absorbed-uniques.js';

const table = (extra: Partial<Table>): Table => ({
  schema: 'public', name: 't', columns: [], uniques: {}, checks: {}, foreignKeys: {}, indexes: {}, rlsEnabled: false, policies: {}, ...extra,
});
const snap = (t: Table): Snapshot => ({ version: SNAPSHOT_VERSION, dialect: 'postgresql', schemas: { public: { ...emptySchema('public'), tables: { t } } } });
const unique = (name: string, columns: string[], nullsNotDistinct = false) => ({ [name]: { name, columns, nullsNotDistinct } });

it('reads a primary key that absorbed a unique on its columns as the code declares it (issue 15, defect 8)', () => {
  const live = snap(table({ primaryKey: { name: 't_id_unique', columns: ['id'] } }));
  const code = snap(table({ primaryKey: { name: 't_pkey', columns: ['id'] }, uniques: unique('t_id_unique', ['id']) }));
  const merged = snap(table({ primaryKey: { name: 't_pkey', columns: ['id'] } }));
  // the server merged them in its own build too: only the name is adopted
  expect(recognizeAbsorbedUniques(live, code, merged)).toEqual(merged);
  // the target keeps the unique (not built on the server): it is read as present
  expect(recognizeAbsorbedUniques(live, code, code)).toEqual(code);
  // anything else stays as read
  for (const other of [
    snap(table({ primaryKey: { name: 't_pkey', columns: ['id'] }, uniques: unique('t_id_unique', ['id', 'n']) })),
    snap(table({ primaryKey: { name: 't_pkey', columns: ['id', 'n'] }, uniques: unique('t_id_unique', ['id']) })),
    snap(table({ primaryKey: { name: 't_pkey', columns: ['id'] }, uniques: unique('t_id_unique', ['id'], true) })),
    snap(table({ primaryKey: { name: 't_pkey', columns: ['id'] }, uniques: unique('other', ['id']) })),
    snap(table({ uniques: unique('t_id_unique', ['id']) })),
  ]) {
    expect(recognizeAbsorbedUniques(live, other, other)).toBe(live);
  }
  const alsoUnique = snap(table({ primaryKey: { name: 't_id_unique', columns: ['id'] }, uniques: unique('t_id_unique', ['id']) }));
  expect(recognizeAbsorbedUniques(alsoUnique, code, merged)).toBe(alsoUnique);
});
