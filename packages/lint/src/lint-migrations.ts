import { displayName, keyOf, type QualifiedName } from './ast.js';
import { LARGE_TABLE_ROWS, type DatabaseFacts } from './database-facts.js';
import type { LintStatement, ParsedMigration } from './parse-migration.js';
import { isRuleId, RULES, type RuleId } from './rule-catalog.js';
import type { FindingOptions, RuleContext, TableState } from './rule-context.js';
import { ALL_RULES } from './rules/index.js';
import { SchemaModel } from './schema-model.js';
import type { Finding, LintReport, Severity } from './types.js';
import { formatCount } from '@strata/core';

export interface LintOptions {
  /** Migrations that run before the linted ones: they build the schema model, nothing is reported for them. */
  history?: readonly ParsedMigration[];
  /** What the database says; null or absent when linting without one. */
  facts?: DatabaseFacts | null;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Runs every rule over parsed migrations, in order: each statement is checked against the schema
 * the statements before it (in the history and in the linted files) have built. Pure: the
 * database's part comes in as `facts`.
 *
 * @example
 * const parser = await loadSqlParser();
 * const report = lintMigrations([parseMigration(parser, { file: 'm.sql', sql: 'create index i on users (email)' })]);
 * report.findings[0].rule // 'require-concurrent-index'
 */
export function lintMigrations(migrations: readonly ParsedMigration[], options: LintOptions = {}): LintReport {
  const facts = options.facts ?? null;
  const model = new SchemaModel();
  const history = options.history ?? [];
  history.forEach((m, i) => m.statements.forEach((s) => model.apply(s.node, { migration: i, part: s.part.index })));
  // With a database, the model starts each table from the catalog (columns, types, NOT NULL).
  for (const [key, t] of facts?.tables ?? []) {
    const [schema, name] = key.split('\u0000') as [string, string];
    model.adopt({ schema, name }, t.columns);
  }
  const findings: Finding[] = [];

  migrations.forEach((migration, offset) => {
    const index = history.length + offset;
    if (migration.error) {
      findings.push({
        rule: 'syntax-error', severity: 'error', message: migration.error.message, hint: 'Fix the SQL so that PostgreSQL can parse it.',
        file: migration.file, line: migration.error.line, column: migration.error.column,
      });
      return;
    }
    const seen = new Set<string>();
    const byPart = new Map<number, LintStatement[]>();
    for (const s of migration.statements) byPart.set(s.part.index, [...(byPart.get(s.part.index) ?? []), s]);
    for (const stmt of migration.statements) {
      const raw: Finding[] = [];
      const ctx = contextFor(migration, index, stmt, byPart.get(stmt.part.index)!, model, facts, raw, seen);
      for (const rule of ALL_RULES) rule(ctx);
      findings.push(...applyIgnores(stmt, raw, migration.file));
      model.apply(stmt.node, { migration: index, part: stmt.part.index });
    }
  });

  findings.sort((a, b) => (a.file === b.file ? 0 : migrations.findIndex((m) => m.file === a.file) - migrations.findIndex((m) => m.file === b.file)) || a.line - b.line || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) if (!f.suppressed) counts[f.severity]++;
  return { files: migrations.map((m) => m.file), findings, counts, database: facts !== null, ok: counts.error === 0 };
}

function contextFor(
  migration: ParsedMigration, index: number, stmt: LintStatement, inPart: readonly LintStatement[], model: SchemaModel, facts: DatabaseFacts | null, out: Finding[],
  seen: Set<string>,
): RuleContext {
  const at = inPart.indexOf(stmt);
  const pos = (location: number | undefined) => (location === undefined || stmt.embedded ? { line: stmt.line, column: 1 } : migration.positionAt(location));
  const firstLine = stmt.text.split('\n', 1)[0]!;
  const push = (rule: RuleId, severity: Severity, message: string, o: FindingOptions, table?: Finding['table']) => {
    const { line, column } = pos(o.location);
    out.push({ rule, severity, message, ...(o.hint ? { hint: o.hint } : {}), file: migration.file, line, column, statement: firstLine, ...(table ? { table } : {}) });
  };

  const tableState = (q: QualifiedName): TableState => {
    const t = model.table(q);
    if (t && t.origin === index) return { kind: 'new' };
    if (facts) {
      const f = facts.tables.get(keyOf(q));
      if (f) return { kind: 'database', rows: f.rows };
      return t && t.origin >= 0 ? { kind: 'pending', rows: 0 } : { kind: 'missing', rows: null };
    }
    return t && t.origin >= 0 ? { kind: 'earlier-migration', rows: null } : { kind: 'existing', rows: null };
  };

  const ctx: RuleContext = {
    node: stmt.node,
    stmt,
    migration,
    part: stmt.part,
    // Sliced on use: most statements never look at their neighbours.
    get earlierInPart() { return inPart.slice(0, at); },
    get laterInPart() { return inPart.slice(at + 1); },
    model,
    facts,
    tableState,
    column(q, column) {
      return model.column(q, column) ?? facts?.tables.get(keyOf(q))?.columns.get(column);
    },
    notNullAssured(q, column) {
      if (ctx.column(q, column)?.notNull) return true;
      if (model.hasValidatedNotNullCheck(q, column)) return true;
      return facts?.tables.get(keyOf(q))?.notNullChecked.has(column) ?? false;
    },
    blocking(rule, table, message, o = {}) {
      const state = tableState(table);
      if (state.kind === 'new') return;
      push(rule, blockingSeverity(state), `${message} ${describeState(table, state)}`, o, { name: displayName(table), rows: state.rows, basis: state.kind });
    },
    breaking(rule, table, message, o = {}) {
      if (table === null) {
        push(rule, 'error', message, o);
        return;
      }
      const state = tableState(table);
      if (state.kind === 'new') return;
      const severity: Severity = state.kind === 'pending' || state.kind === 'missing' ? 'warning' : 'error';
      push(rule, severity, `${message} ${describeState(table, state)}`, o, { name: displayName(table), rows: state.rows, basis: state.kind });
    },
    once(key) {
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    report(rule, severity, message, o = {}) {
      push(rule, severity, message, o);
    },
  };
  return ctx;
}

function blockingSeverity(state: Exclude<TableState, { kind: 'new' }>): Severity {
  switch (state.kind) {
    case 'database':
      return state.rows! >= LARGE_TABLE_ROWS ? 'error' : state.rows! > 0 ? 'warning' : 'info';
    case 'pending':
      return 'info';
    case 'missing':
      return 'warning';
    case 'earlier-migration':
    case 'existing':
      return 'error';
    default: {
      const never: never = state.kind;
      throw new Error(`unknown table basis ${String(never)}`);
    }
  }
}

function describeState(table: QualifiedName, state: Exclude<TableState, { kind: 'new' }>): string {
  const name = displayName(table);
  switch (state.kind) {
    case 'database':
      return `(${name}: about ${formatCount(state.rows!)} rows)`;
    case 'pending':
      return `(${name} is created by an earlier pending migration: empty when this runs)`;
    case 'missing':
      return `(${name} is not in the database)`;
    case 'earlier-migration':
      return `(${name} is created by an earlier migration: it may be large by now)`;
    case 'existing':
      return `(${name} exists before this migration)`;
    default: {
      const never: never = state.kind;
      throw new Error(`unknown table basis ${String(never)}`);
    }
  }
}

/** Marks the findings a `-- strata:ignore` comment above the statement silences; reports bad comments. */
function applyIgnores(stmt: LintStatement, raw: Finding[], file: string): Finding[] {
  const out = [...raw];
  for (const d of stmt.ignores) {
    const unknown = d.rules.filter((r) => !isRuleId(r));
    if (d.rules.length === 0 || unknown.length > 0) {
      out.push({
        rule: 'invalid-ignore', severity: 'error', file, line: d.line, column: 1,
        message: d.rules.length === 0 ? '`-- strata:ignore` names no rule' : `\`-- strata:ignore\` names unknown rule${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
        hint: `Write \`-- strata:ignore <rule> <reason>\`; rules: ${Object.keys(RULES).slice(0, 4).join(', ')}, … (see the @strata/lint README).`,
      });
      continue;
    }
    if (d.reason === '') {
      out.push({
        rule: 'invalid-ignore', severity: 'error', file, line: d.line, column: 1,
        message: `\`-- strata:ignore ${d.rules.join(',')}\` gives no reason`,
        hint: 'Say why the finding is acceptable, e.g. `-- strata:ignore drop-column the app stopped reading it in v2.3`.',
      });
      continue;
    }
    for (const f of out) if (d.rules.includes(f.rule) && !f.suppressed && f.rule !== 'invalid-ignore') f.suppressed = { reason: d.reason, line: d.line };
  }
  return out;
}
