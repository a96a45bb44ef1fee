import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskSecrets, urlAmbiguity } from './mask-secrets.js';

// Passwords are drawn from upper-case letters and the characters that break URLs; everything
// else (scheme, user, host, database, surrounding text) is lower case. An upper-case letter in
// the masked text is therefore a piece of the password: "no upper case left" catches partial
// leaks (`****@ss#word@…`), not only the whole password.
const SPECIALS = [' ', '@', '#', '/', '?', ':', '%', '&', '=', '+', "'", '"', '\\', '!', '$', ';', ',', '<', '>', '`', '*'];
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
const password = (specials: string[] = SPECIALS) =>
  fc.string({ unit: fc.constantFrom(...UPPER, ...specials), minLength: 1, maxLength: 24 }).filter((p) => /[A-Z]/.test(p));
const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), minLength: 1, maxLength: 10 });
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
const scheme = fc.constantFrom('postgres', 'postgresql');
/** Text around a URL in a message, as errors and notices put it. */
const around = fc.record({
  before: fc.constantFrom('', 'could not connect to ', 'database  ', 'url=', '"'),
  after: fc.constantFrom('', ': connection refused', '  (postgres, from --url)', '"', '\nnext line with user@example'),
});

const leaks = (masked: string) => /[A-Z]/.test(masked);

describe('maskSecrets', () => {
  it('keeps a well-formed URL readable and hides only its password', () => {
    fc.assert(
      fc.property(scheme, word, password(), word, port, word, (s, user, pw, host, p, db) => {
        const hostPort = p === undefined ? host : `${host}:${p}`;
        const url = `${s}://${user}:${encodeURIComponent(pw)}@${hostPort}/${db}`;
        expect(maskSecrets(url)).toBe(`${s}://${user}:****@${hostPort}/${db}`);
      }),
    );
  });

  it('hides an unencoded password, whatever it holds, and keeps the host', () => {
    fc.assert(
      fc.property(scheme, word, password(), word, port, word, around, (s, user, pw, host, p, db, { before, after }) => {
        const hostPort = p === undefined ? host : `${host}:${p}`;
        const masked = maskSecrets(`${before}${s}://${user}:${pw}@${hostPort}/${db}${after}`);
        expect(leaks(masked), masked).toBe(false);
        expect(masked).toContain(`${s}://`);
      }),
    );
  });

  it('hides a password given as a query parameter, encoded or not', () => {
    fc.assert(
      fc.property(
        scheme, word, word, word, password(SPECIALS.filter((c) => c !== '&')), fc.boolean(), fc.constantFrom('password', 'sslpassword'), around,
        (s, user, host, db, pw, encode, key, { before, after }) => {
          const value = encode ? encodeURIComponent(pw) : pw;
          const masked = maskSecrets(`${before}${s}://${user}@${host}/${db}?sslmode=disable&${key}=${value}${after}`);
          expect(leaks(masked), masked).toBe(false);
          if (encode) expect(masked).toContain(`${s}://${user}@${host}/${db}?sslmode=disable&${key}=****`);
        },
      ),
    );
  });

  it('hides the password of a libpq key=value string, quoted or not', () => {
    fc.assert(
      fc.property(word, word, password(), fc.constantFrom('password', 'sslpassword', 'PGPASSWORD'.toLowerCase()), (host, db, pw, key) => {
        const plain = /^[^\s'\\]+$/.test(pw);
        const value = plain ? pw : `'${pw.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
        const masked = maskSecrets(`host=${host} dbname=${db} ${key} = ${value} sslmode=require`);
        expect(leaks(masked), masked).toBe(false);
        expect(masked).toContain(`host=${host} dbname=${db}`);
        expect(masked).toContain('sslmode=require');
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(scheme, word, password(), word, around, (s, user, pw, host, { before, after }) => {
        for (const text of [`${before}${s}://${user}:${pw}@${host}/db${after}`, `${s}://${host}/db?password=${pw.replace(/&/g, '')}`, `host=${host} password='${pw.replace(/['\\]/g, '')}'`]) {
          const once = maskSecrets(text);
          expect(maskSecrets(once)).toBe(once);
        }
      }),
    );
  });

  it('masks the forms the issue names', () => {
    expect(maskSecrets('postgres://app:s3cret@db:5432/app')).toBe('postgres://app:****@db:5432/app');
    expect(maskSecrets('postgres://app:p@ss#word@host/db')).toBe('postgres://****@host/db');
    expect(maskSecrets('postgres://app:p ss@host/db: connection refused')).toBe('postgres://****@host/db: connection refused');
    expect(maskSecrets('postgres://app@host/db?password=s3cret&sslmode=require')).toBe('postgres://app@host/db?password=****&sslmode=require');
    expect(maskSecrets("host=db user=app password='it\\'s secret' dbname=app")).toBe('host=db user=app password=**** dbname=app');
    expect(maskSecrets('postgres://app@host/db')).toBe('postgres://app@host/db');
    expect(maskSecrets('pglite:/tmp/x and postgres://host:5432/db')).toBe('pglite:/tmp/x and postgres://host:5432/db');
  });

  it('names what makes a URL ambiguous', () => {
    expect(urlAmbiguity('postgres://app:p%40ss@db/app')).toBeNull();
    expect(urlAmbiguity('postgres://app:p@ss#word@host/db')).toBe('unencoded "#"');
    expect(urlAmbiguity('postgres://app:p ss@host/db')).toBe('unencoded space');
    expect(urlAmbiguity('postgres://app:p@ss@host/db')).toBe('unencoded "@"');
    expect(urlAmbiguity('postgres://app:12/ss@host/db')).toMatch(/unencoded/);
  });
});
