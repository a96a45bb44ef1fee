import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser, type SqlParser } from '@strata/sql';
import { githubAnnotations, lintMigrations, migrationParts, parseMigration, toSarif, typeChangeEffect } from './index.js';

let parser: SqlParser;
beforeAll(async () => { parser = await loadSqlParser(); });

describe('migrationParts', () => {
  it('splits at `--> strata:part` lines; the first part is transactional unless the legacy header says otherwise', () => {
    const sql = 'create table t (a int);\n--> strata:part no-transaction\ncreate index concurrently i on t (a);\n--> strata:part\nselect 1;';
    expect(migrationParts(sql).map((p) => [p.index, p.transactional, p.line])).toEqual([[0, true, 1], [1, false, 2], [2, true, 4]]);
    expect(migrationParts('-- strata:no-transaction\ncreate index concurrently i on t (a);').map((p) => p.transactional)).toEqual([false]);
    expect(migrationParts('select 1;\n-->  strata:part\n-- strata:part').length).toBe(1); // only the exact lines are markers
  });

  it('places each statement in its part: CONCURRENTLY is an error in a transactional part only', () => {
    const sql = 'create index concurrently a on users (x);\n--> strata:part no-transaction\ncreate index concurrently b on users (x);\n--> strata:part\ncreate index concurrently c on users (x);';
    const m = parseMigration(parser, { file: 'm.sql', sql });
    expect(m.statements.map((s) => s.part.index)).toEqual([0, 1, 2]);
    const errors = lintMigrations([m]).findings.filter((f) => f.rule === 'concurrently-in-transaction').map((f) => f.line);
    expect(errors).toEqual([1, 5]);
  });

  it('reports a file that does not parse with its line and column', () => {
    const r = lintMigrations([parseMigration(parser, { file: 'bad.sql', sql: 'select 1;\nalter table t add colum x int;' })]);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'syntax-error', severity: 'error', file: 'bad.sql', line: 2, column: 27, message: 'syntax error at or near "int"' })]);
  });
});

describe('typeChangeEffect', () => {
  const t = (name: string, ...mods: number[]) => ({ name, mods, array: false });
  it('knows which changes are binary-coercible', () => {
    expect(typeChangeEffect(t('varchar', 20), t('varchar', 40))).toBe('metadata');
    expect(typeChangeEffect(t('varchar', 40), t('varchar', 20))).toBe('rewrite');
    expect(typeChangeEffect(t('varchar', 20), t('text'))).toBe('metadata');
    expect(typeChangeEffect(t('text'), t('varchar'))).toBe('metadata');
    expect(typeChangeEffect(t('text'), t('varchar', 20))).toBe('rewrite');
    expect(typeChangeEffect(t('numeric', 10, 2), t('numeric', 12, 2))).toBe('metadata');
    expect(typeChangeEffect(t('numeric', 10, 2), t('numeric', 12, 3))).toBe('rewrite');
    expect(typeChangeEffect(t('numeric', 10, 2), t('numeric'))).toBe('metadata');
    expect(typeChangeEffect(t('timestamp'), t('timestamptz'))).toBe('metadata');
    expect(typeChangeEffect(t('cidr'), t('inet'))).toBe('metadata');
    expect(typeChangeEffect(t('int4'), t('int8'))).toBe('rewrite');
    expect(typeChangeEffect(t('bpchar', 2), t('text'))).toBe('rewrite');
    expect(typeChangeEffect(null, t('text'))).toBe('unknown');
    expect(typeChangeEffect(t('varchar', 20), t('text'), true)).toBe('rewrite');
  });
});

describe('output', () => {
  const report = () => lintMigrations([parseMigration(parser, {
    file: 'db/m, 1.sql',
    sql: 'create index i on users (a);\n-- strata:ignore drop-column unused since v2\nalter table users drop column b;\ncreate table t (c varchar(3));',
  })]);

  it('SARIF 2.1.0: rules, levels, regions, and in-source suppressions with the reason', () => {
    const log = toSarif(report(), '1.2.3'); // typed as @types/sarif's Log: the compiler checks the shape
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('strata lint');
    const results = run.results!;
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([['require-concurrent-index', 'error'], ['drop-column', 'error'], ['varchar-length', 'warning']]);
    for (const r of results) expect(run.tool.driver.rules![r.ruleIndex!]!.id).toBe(r.ruleId);
    expect(results[0]!.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'db/m,%201.sql' }, region: { startLine: 1, startColumn: 19 } } }]);
    expect(results[1]!.suppressions).toEqual([{ kind: 'inSource', justification: 'unused since v2' }]);
  });

  it('GitHub annotations: one workflow command per unsuppressed finding, with escaped properties', () => {
    const lines = githubAnnotations(report());
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=db\/m%2C 1\.sql,line=1,col=19,title=strata lint%3A require-concurrent-index::CREATE INDEX without CONCURRENTLY/);
    expect(lines[1]).toMatch(/^::warning file=db\/m%2C 1\.sql,line=4,col=\d+,title=strata lint%3A varchar-length::/);
  });
});
