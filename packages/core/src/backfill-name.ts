/**
 * The prefix of `application_name` a running multi-step backfill reports its progress with:
 * `strata backfill 37% <table oid>`. The diff writes it into the backfill; `strata status` reads
 * it from `pg_stat_activity` and finds the backfill part of an expand migration by it.
 *
 * @example
 * `${BACKFILL_APPLICATION_NAME} 37% 16384` // => 'strata backfill 37% 16384'
 */
export const BACKFILL_APPLICATION_NAME = 'strata backfill';
