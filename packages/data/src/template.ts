/**
 * The file `strata data new` writes: it compiles, runs as it is (doing nothing but a log line),
 * and shows the API in comments.
 */
export function dataMigrationTemplate(name: string): string {
  // `name` is a slug (letters, digits, _ and -): safe inside the quotes below.
  return `import { defineDataMigration } from '@strata/data';

/**
 * Data migration "${name}".
 *
 * Run it with \`strata data run\` (\`--dry-run\` first: it rolls everything back and reports what
 * would change); \`strata data status\` shows where it stands. It runs once: a finished migration
 * never runs again. A run stopped by an error or a kill resumes after the last committed batch,
 * so work outside ctx.batch / ctx.step must be safe to repeat.
 *
 * ctx.db           drizzle-orm on Strata's connection: ctx.db.select().from(users)
 * ctx.sql\`…\`       SQL with \${values} sent as parameters
 * ctx.query(t, p)  SQL text with $1…$n parameters
 * ctx.batch(o, fn) walk a table by its primary key, one transaction and checkpoint per batch
 * ctx.step(n, fn)  run fn exactly once, in a transaction with the checkpoint
 * ctx.log          info / warn / debug
 */
export default defineDataMigration({
  description: '${name.replaceAll(/[_-]+/g, ' ')}',
  async up(ctx) {
    // Example: fill users.full_name from users.name, 5,000 rows per transaction.
    // await ctx.batch({ table: 'users', size: 5000 }, (tx, { ids }) =>
    //   tx.query('update users set full_name = name where id = any($1)', [ids]),
    // );
    ctx.log.info('nothing to do yet: edit this file');
  },
});
`;
}
