import { describe, expect, it } from 'vitest';
import { mentions } from './mentions.js';

describe('mentions', () => {
  it.each([
    ['select a from users', 'users', true],
    ['select a from public.USERS', 'users', true],
    ['select a from users_archive', 'users', false],
    ['select userid from t', 'user', false],
    ['select "Users".id from "Users"', 'Users', true],
    ['select users.id from users', 'Users', false],
    ['select "say ""hi""" from t', 'say "hi"', true],
    ['x + 1', 'x', true],
    [undefined, 'x', false],
  ])('%s mentions %s: %s', (sql, name, expected) => {
    expect(mentions(sql, name)).toBe(expected);
  });
});
