import { describe, expect, it } from 'vitest';
import { isStrataError } from '@strata/core';
import { hintResolver } from './hint-resolver.js';
import type { RenameCandidate, RenameRequest } from './rename-resolver.js';

const table = (schema: string, name: string): RenameCandidate => ({ kind: 'table', path: [schema, name] });
const column = (t: string, name: string): RenameCandidate => ({ kind: 'column', path: ['public', t, name] });

function caught(fn: () => unknown): { code: string; message: string; details: string[]; hint?: string } {
  try {
    fn();
  } catch (e) {
    if (isStrataError(e)) return e;
    throw e;
  }
  throw new Error('expected a StrataError');
}

describe('hintResolver', () => {
  it('pairs a column by table.column and a table by its bare name', () => {
    const r = hintResolver(['users.name=users.full_name', 'products=catalog_items']);
    const tables: RenameRequest = { kind: 'table', removed: [table('public', 'products')], added: [table('public', 'catalog_items'), table('public', 'x')] };
    expect(r.resolve(tables)).toEqual([{ from: table('public', 'products'), to: table('public', 'catalog_items') }]);
    const cols: RenameRequest = { kind: 'column', table: ['public', 'users'], removed: [column('users', 'name')], added: [column('users', 'full_name')] };
    expect(r.resolve(cols)).toEqual([{ from: column('users', 'name'), to: column('users', 'full_name') }]);
    expect(() => r.finish?.()).not.toThrow();
  });

  it('leaves unnamed pairs as drop and create by default', () => {
    const r = hintResolver([]);
    expect(r.resolve({ kind: 'table', removed: [table('public', 'a')], added: [table('public', 'b')] })).toEqual([]);
  });

  it('throws RENAME_AMBIGUOUS with the candidates and exact flags when a hint fits two removed objects', () => {
    const r = hintResolver(['users=people']);
    const e = caught(() => r.resolve({
      kind: 'table', removed: [table('public', 'users'), table('auth', 'users')], added: [table('public', 'people'), table('auth', 'people')],
    }));
    expect(e.code).toBe('RENAME_AMBIGUOUS');
    expect(e.details).toEqual([
      'table "public"."users" → table "public"."people": --rename public.users=public.people',
      'table "auth"."users" → table "auth"."people": --rename auth.users=auth.people',
    ]);
    expect(e.hint).toMatch(/fully qualified/);
  });

  it('prefers the added object in the same schema when the new name is given bare', () => {
    const r = hintResolver(['auth.users=people']);
    expect(r.resolve({ kind: 'table', removed: [table('auth', 'users')], added: [table('public', 'people'), table('auth', 'people')] }))
      .toEqual([{ from: table('auth', 'users'), to: table('auth', 'people') }]);
  });

  it('says which added objects exist when the new name matches none', () => {
    const e = caught(() => hintResolver(['users=peeple']).resolve({ kind: 'table', removed: [table('public', 'users')], added: [table('public', 'people')] }));
    expect(e.code).toBe('USAGE');
    expect(e.message).toMatch(/no added table is called "peeple"/);
    expect(e.details).toEqual(['added tables: public.people']);
  });

  it('finish() reports hints that matched nothing', () => {
    const r = hintResolver(['nothing.here=x']);
    const e = caught(() => r.finish?.());
    expect(e.code).toBe('USAGE');
    expect(e.message).toMatch(/nothing\.here=x/);
  });

  it('with unanswered: "error", asks for input listing the flags that would answer', () => {
    const r = hintResolver([], { unanswered: 'error' });
    const e = caught(() => r.resolve({ kind: 'column', table: ['public', 'users'], removed: [column('users', 'name')], added: [column('users', 'full_name')] }));
    expect(e.code).toBe('INPUT_REQUIRED');
    expect(e.message).toMatch(/columns of table public\.users: removed public\.users\.name; added public\.users\.full_name/);
    expect(e.details).toEqual(['column "public"."users"."name" → column "public"."users"."full_name": --rename public.users.name=public.users.full_name']);
  });

  it('does not pair a view with a materialized view', () => {
    const r = hintResolver(['v=w']);
    const e = caught(() => r.resolve({
      kind: 'view', removed: [{ kind: 'view', path: ['public', 'v'], materialized: false }], added: [{ kind: 'view', path: ['public', 'w'], materialized: true }],
    }));
    expect(e.message).toMatch(/no added view is called "w"/);
  });
});
