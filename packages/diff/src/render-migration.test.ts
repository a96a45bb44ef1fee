import { describe, expect, it } from 'vitest';
import { renderMigration } from './render-migration.js';
import type { Statement } from './types.js';

const st = (sql: string, extra: Partial<Statement> = {}): Statement => ({ sql, hazards: [], transactional: true, ...extra });

describe('renderMigration', () => {
  it('separates statements with breakpoint lines and puts comments and hazards above them', () => {
    const file = renderMigration([
      st('ALTER TABLE "t" DROP COLUMN "c"', { comment: 'why', hazards: [{ kind: 'data-loss', object: '"t"."c"', message: 'column "t"."c" is dropped' }] }),
      st('CREATE TABLE "u" ()'),
    ]);
    expect(file).toBe([
      '-- why',
      '-- hazard data-loss: column "t"."c" is dropped',
      'ALTER TABLE "t" DROP COLUMN "c";',
      '--> statement-breakpoint',
      'CREATE TABLE "u" ();',
      '',
    ].join('\n'));
  });

  it('starts a file of statements that cannot run in a transaction with the marker', () => {
    expect(renderMigration([st('CREATE INDEX CONCURRENTLY "i" ON "t" ("a")', { transactional: false })]))
      .toBe('-- strata:no-transaction\nCREATE INDEX CONCURRENTLY "i" ON "t" ("a");\n');
  });

  it('refuses to mix them with statements that need the transaction', () => {
    expect(() => renderMigration([st('CREATE TABLE "t" ()'), st('CREATE INDEX CONCURRENTLY "i" ON "t" ("a")', { transactional: false })]))
      .toThrow(/cannot mix/);
  });

  it('keeps a name with a newline inside its comment line', () => {
    const file = renderMigration([st('SELECT 1', { comment: 'table "a\nDROP TABLE x;" is dropped' })]);
    expect(file.split('\n').filter((l) => !l.startsWith('-- '))).toEqual(['SELECT 1;', '']);
  });

  it('renders nothing for no statements', () => {
    expect(renderMigration([])).toBe('');
  });
});
