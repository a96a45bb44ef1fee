import { defineDataMigration } from '@strata/data';

/**
 * Data migration "normalize_emails": every email in lower case, so the login's lookup by email
 * (which lower-cases what people type) finds every account.
 *
 * Run with `strata data run` (`--dry-run` first); it runs once, 5,000 rows per transaction, and a
 * run that stops resumes after the last committed batch. The update is safe to repeat.
 */
export default defineDataMigration({
  description: 'lower-case every users.email',
  async up(ctx) {
    await ctx.batch({ table: 'users', size: 5000 }, (tx, { ids }) =>
      tx.query('update users set email = lower(email) where id = any($1) and email <> lower(email)', [ids]),
    );
  },
});
