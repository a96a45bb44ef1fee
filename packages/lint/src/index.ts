/**
 * @strata/lint: safety rules over migration SQL, parsed with PostgreSQL's own parser. The rules
 * are pure (`lintMigrations`); `lintFiles` reads files, the migration folder and, with a
 * database, the sizes of the tables the migrations touch.
 */
export { RULES, isRuleId, type RuleId, type RuleInfo, type RuleCategory } from './rule-catalog.js';
export type { Finding, LintReport, Severity, TableBasis } from './types.js';
export { parseMigration, type MigrationSource, type ParsedMigration, type LintStatement } from './parse-migration.js';
export { lintMigrations, type LintOptions } from './lint-migrations.js';
export { migrationParts, PART_MARKER, PART_MARKER_NO_TRANSACTION, NO_TRANSACTION_HEADER, type MigrationPart } from './migration-parts.js';
export { ignoreDirectivesAbove, type IgnoreDirective } from './ignore-directives.js';
export { typeChangeEffect, type TypeChangeEffect } from './type-change.js';
export { columnTypeOf, columnTypeFromCatalog, formatType, type ColumnType } from './column-type.js';
export { LARGE_TABLE_ROWS, type DatabaseFacts, type TableFacts } from './database-facts.js';
export { lintFiles, type LintFilesOptions, type LintFilesResult } from './lint-files.js';
export { readDatabaseFacts } from './read-database-facts.js';
export { toSarif } from './sarif.js';
export { githubAnnotations } from './github-annotations.js';
