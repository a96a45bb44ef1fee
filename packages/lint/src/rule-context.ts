import type { Node } from '@strata/sql';
import type { QualifiedName } from './ast.js';
import type { DatabaseFacts } from './database-facts.js';
import type { MigrationPart } from './migration-parts.js';
import type { LintStatement, ParsedMigration } from './parse-migration.js';
import type { RuleId } from './rule-catalog.js';
import type { ColumnModel, SchemaModel } from './schema-model.js';
import type { Severity, TableBasis } from './types.js';

/** How big a table is when the statement runs, as far as the linter can tell. */
export type TableState =
  /** Created earlier in the same migration: nothing else uses it yet. */
  | { kind: 'new' }
  | { kind: TableBasis; rows: number | null };

/** Where in the statement a finding points: a byte offset from the syntax tree. */
export interface FindingOptions {
  hint?: string;
  location?: number;
}

/** What a rule sees of one statement, and how it reports. */
export interface RuleContext {
  node: Node;
  stmt: LintStatement;
  migration: ParsedMigration;
  part: MigrationPart;
  /** The statements of the same part before and after this one (one transaction when the part is transactional). */
  earlierInPart: readonly LintStatement[];
  laterInPart: readonly LintStatement[];
  /** The schema before this statement. */
  model: SchemaModel;
  facts: DatabaseFacts | null;
  tableState(q: QualifiedName): TableState;
  /** A column as the model (then the database) knows it. */
  column(q: QualifiedName, column: string): ColumnModel | undefined;
  /** True when the column is NOT NULL or has a validated `CHECK (col IS NOT NULL)`. */
  notNullAssured(q: QualifiedName, column: string): boolean;
  /** A change that holds a blocking lock for a time that grows with the table: graded by its size. */
  blocking(rule: RuleId, table: QualifiedName, message: string, options?: FindingOptions): void;
  /** A change that breaks running code: an error unless the table is new or not yet deployed. */
  breaking(rule: RuleId, table: QualifiedName | null, message: string, options?: FindingOptions): void;
  /** True the first time a key is seen in this migration: for findings that several statements would repeat. */
  once(key: string): boolean;
  /** A finding of a fixed severity. */
  report(rule: RuleId, severity: Severity, message: string, options?: FindingOptions): void;
}

/** A rule: looks at one statement and reports through the context. */
export type Rule = (ctx: RuleContext) => void;
