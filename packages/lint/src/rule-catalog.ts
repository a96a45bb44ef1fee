/**
 * How a rule grades what it finds:
 * - `blocking`: holds a lock that stops writes (or reads) for as long as the table takes to scan or
 *   rewrite: graded by the table's size (none for a table created in the same migration).
 * - `breaking`: breaks application code that is running while the migration applies.
 * - `invalid`: fails when it runs, or defeats the runner: always an error.
 * - `style`: a schema choice that ages badly: a warning.
 */
export type RuleCategory = 'blocking' | 'breaking' | 'invalid' | 'style';

export interface RuleInfo {
  category: RuleCategory;
  /** One line: what the rule catches. */
  summary: string;
  /** The checks of squawk and strong_migrations this rule covers. */
  covers: string[];
  /** The severity its findings usually have, when it is not the category's (error; warning for style). */
  severity?: 'warning' | 'info';
}

/** Every rule of `strata lint`; the README documents each with a bad and a safe example. */
export const RULES = {
  'require-concurrent-index': { category: 'blocking', summary: 'CREATE INDEX without CONCURRENTLY on an existing table blocks writes while the index builds', covers: ['squawk require-concurrent-index-creation', 'strong_migrations adding an index non-concurrently', 'strong_migrations adding a reference'] },
  'require-concurrent-index-drop': { category: 'blocking', summary: 'DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table', covers: ['squawk require-concurrent-index-deletion', 'strong_migrations removing an index non-concurrently'] },
  'require-concurrent-reindex': { category: 'blocking', summary: 'REINDEX without CONCURRENTLY blocks writes (and reads that use the index)', covers: ['squawk require-concurrent-reindex'] },
  'require-concurrent-detach': { category: 'blocking', summary: 'DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the parent', covers: ['squawk require-concurrent-partition-detach'] },
  'concurrently-in-transaction': { category: 'invalid', summary: 'CONCURRENTLY cannot run inside a transaction: put it in a `--> strata:part no-transaction` part', covers: ['squawk ban-concurrent-index-creation-in-transaction'] },
  'constraint-missing-not-valid': { category: 'blocking', summary: 'a FOREIGN KEY or CHECK added to an existing table without NOT VALID scans the table under lock', covers: ['squawk constraint-missing-not-valid', 'squawk adding-foreign-key-constraint', 'strong_migrations adding a foreign key', 'strong_migrations adding a check constraint'] },
  'validate-in-same-transaction': { category: 'blocking', summary: 'VALIDATE CONSTRAINT in the same transaction as its ADD … NOT VALID keeps the ADD\'s lock during the scan', covers: ['squawk constraint-missing-not-valid'] },
  'set-not-null': { category: 'blocking', summary: 'SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock unless a validated CHECK (col IS NOT NULL) exists', covers: ['squawk adding-not-nullable-field', 'strong_migrations setting NOT NULL on an existing column'] },
  'adding-required-column': { category: 'blocking', summary: 'ADD COLUMN … NOT NULL without a default fails on a table that has rows', covers: ['squawk adding-required-field'] },
  'column-type-rewrite': { category: 'blocking', summary: 'a type change that is not binary-coercible rewrites the table under an ACCESS EXCLUSIVE lock', covers: ['squawk changing-column-type', 'strong_migrations changing the type of a column'] },
  'volatile-default': { category: 'blocking', summary: 'ADD COLUMN with a volatile default (gen_random_uuid(), clock_timestamp()…) rewrites the table', covers: ['squawk adding-field-with-default', 'strong_migrations adding a column with a volatile default value', 'strong_migrations backfilling data'] },
  'stored-generated-column': { category: 'blocking', summary: 'ADD COLUMN … GENERATED ALWAYS AS (…) STORED rewrites the table', covers: ['squawk adding-field-with-default (generated)', 'strong_migrations adding a stored generated column'] },
  'auto-increment-column': { category: 'blocking', summary: 'ADD COLUMN with serial or an identity fills every row: a rewrite', covers: ['squawk adding-serial-primary-key-field', 'strong_migrations adding an auto-incrementing column'] },
  'add-unique-constraint': { category: 'blocking', summary: 'ADD UNIQUE without USING INDEX builds the index under an ACCESS EXCLUSIVE lock', covers: ['squawk disallowed-unique-constraint', 'strong_migrations adding a unique constraint'] },
  'add-primary-key': { category: 'blocking', summary: 'ADD PRIMARY KEY without USING INDEX builds the index under lock; USING INDEX on nullable columns scans the table', covers: ['squawk adding-primary-key-constraint', 'squawk adding-serial-primary-key-field'] },
  'exclusion-constraint': { category: 'blocking', summary: 'ADD EXCLUDE builds its index and checks every row under an ACCESS EXCLUSIVE lock (it cannot be NOT VALID)', covers: ['strong_migrations adding an exclusion constraint'] },
  'table-rewrite': { category: 'blocking', summary: 'VACUUM FULL, CLUSTER, SET TABLESPACE, SET LOGGED/UNLOGGED rewrite the table under an ACCESS EXCLUSIVE lock', covers: ['squawk prefer-repack'] },
  'lock-table': { category: 'blocking', summary: 'LOCK TABLE holds a lock that blocks writers (or everyone) until the transaction ends', covers: [] },
  'unbatched-backfill': { category: 'blocking', summary: 'UPDATE or DELETE of a whole existing table in one statement locks every row it touches until commit', covers: ['strong_migrations backfilling data', 'strong_migrations using change_column_null with a default value'] },
  'refresh-materialized-view': { category: 'blocking', summary: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of the view', covers: [] },
  'domain-constraint': { category: 'blocking', summary: 'a domain CHECK is validated against every column that uses the domain, under lock', covers: ['squawk ban-create-domain-with-constraint', 'squawk ban-alter-domain-with-add-constraint'], severity: 'warning' },
  'drop-column': { category: 'breaking', summary: 'dropping a column breaks code that still reads or writes it', covers: ['squawk ban-drop-column', 'strong_migrations removing a column'] },
  'drop-table': { category: 'breaking', summary: 'dropping a table breaks code that still uses it, and loses its data', covers: ['squawk ban-drop-table', 'strong_migrations creating a table with the force option'] },
  'rename-column': { category: 'breaking', summary: 'renaming a column breaks code that uses the old name', covers: ['squawk renaming-column', 'strong_migrations renaming a column'] },
  'rename-table': { category: 'breaking', summary: 'renaming a table breaks code that uses the old name', covers: ['squawk renaming-table', 'strong_migrations renaming a table'] },
  'rename-object': { category: 'breaking', summary: 'renaming a view, sequence, type, schema or function breaks code that uses the old name', covers: ['squawk renaming-object'], severity: 'warning' },
  'set-schema': { category: 'breaking', summary: 'moving an object to another schema breaks code that names it', covers: ['squawk ban-set-schema'] },
  'drop-object': { category: 'breaking', summary: 'dropping a schema, view, sequence, type, domain, function or extension breaks code that uses it', covers: ['squawk ban-drop-schema', 'squawk ban-drop-sequence', 'squawk ban-drop-domain', 'squawk ban-drop-extension'], severity: 'warning' },
  'drop-not-null': { category: 'breaking', summary: 'dropping NOT NULL lets NULLs in that running code (and the previous release) does not expect', covers: ['squawk ban-drop-not-null'], severity: 'warning' },
  'drop-database': { category: 'invalid', summary: 'DROP DATABASE has no place in a migration', covers: ['squawk ban-drop-database'] },
  'truncate-cascade': { category: 'invalid', summary: 'TRUNCATE … CASCADE also empties every table that references this one', covers: ['squawk ban-truncate-cascade'] },
  'transaction-control': { category: 'invalid', summary: 'BEGIN, COMMIT, ROLLBACK or SAVEPOINT in a migration fight the runner, which owns the transactions', covers: ['squawk transaction-nesting', 'squawk ban-uncommitted-transaction'] },
  'enum-value-used-in-transaction': { category: 'invalid', summary: 'a value added with ALTER TYPE … ADD VALUE cannot be used in the same transaction', covers: [] },
  'timeout-override': { category: 'style', summary: 'a migration that sets lock_timeout or statement_timeout overrides the runner\'s short lock timeout', covers: ['squawk require-timeout-settings (the runner sets the timeouts)'] },
  'int-key': { category: 'style', summary: 'an integer or smallint key (primary key, identity, serial, foreign key) will overflow', covers: ['squawk prefer-bigint-over-int', 'squawk prefer-bigint-over-smallint'] },
  'prefer-identity': { category: 'style', summary: 'serial columns: prefer GENERATED … AS IDENTITY', covers: ['squawk prefer-identity'] },
  'varchar-length': { category: 'style', summary: 'varchar(n): raising the limit later is cheap, lowering it rewrites; prefer text (with a CHECK if needed)', covers: ['squawk prefer-text-field'] },
  'char-type': { category: 'style', summary: 'char(n) pads with spaces and is never faster than text', covers: ['squawk ban-char-field'] },
  'timestamp-without-time-zone': { category: 'style', summary: 'timestamp without time zone loses the instant; prefer timestamptz', covers: ['squawk prefer-timestamptz'] },
  'json-column': { category: 'style', summary: 'json has no equality operator (SELECT DISTINCT, GROUP BY fail); prefer jsonb', covers: ['strong_migrations adding a json column'] },
  'index-too-many-columns': { category: 'style', summary: 'a non-unique index on more than three columns rarely helps', covers: ['strong_migrations keeping non-unique indexes to three columns or less'] },
  'identifier-too-long': { category: 'style', summary: 'a name longer than 63 bytes is silently truncated by PostgreSQL', covers: ['squawk identifier-too-long'] },
  'prefer-robust-stmts': { category: 'style', summary: 'outside a transaction, a statement that fails half-way must be safe to run again (IF [NOT] EXISTS)', covers: ['squawk prefer-robust-stmts'], severity: 'info' },
  'syntax-error': { category: 'invalid', summary: 'the file does not parse as PostgreSQL SQL', covers: ['squawk syntax-error'] },
  'invalid-ignore': { category: 'invalid', summary: 'a `-- strata:ignore` comment without a reason or naming an unknown rule', covers: [] },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

/**
 * True for a rule name `strata lint` knows.
 *
 * @example
 * isRuleId('drop-column') // true
 */
export function isRuleId(name: string): name is RuleId {
  return Object.hasOwn(RULES, name);
}
