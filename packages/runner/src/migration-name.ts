import { StrataError } from '@strata/core';

/** `YYYYMMDDHHMMSS_name`: a Strata migration's name. */
export const MIGRATION_NAME = /^(\d{14})_([a-z0-9]+(?:_[a-z0-9]+)*)$/;

/**
 * Lower snake case of a user-given name, ASCII only; `migration` when nothing is left.
 *
 * @example
 * snakeCase('Add phoneNumber to Users') // => 'add_phone_number_to_users'
 */
export function snakeCase(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s || 'migration';
}

/** `YYYYMMDDHHMMSS` of a date, in UTC. */
export function timestampOf(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function dateOf(timestamp: string): Date {
  const t = timestamp;
  return new Date(Date.UTC(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8), +t.slice(8, 10), +t.slice(10, 12), +t.slice(12, 14)));
}

/**
 * The name of a new migration: UTC timestamp of `now` and the snake-cased name. When that
 * timestamp is not after the newest existing one, it becomes the newest + 1 second, so names
 * never collide and always sort after what exists.
 *
 * @example
 * newMigrationName('init', new Date('2026-11-26T00:15:00Z'), []) // => '20261126001500_init'
 */
export function newMigrationName(name: string, now: Date, existing: readonly string[]): string {
  if (Number.isNaN(now.getTime())) throw new StrataError('USAGE', 'the migration time is not a valid date');
  let stamp = timestampOf(now);
  const newest = existing.map((n) => MIGRATION_NAME.exec(n)?.[1]).filter((t): t is string => t !== undefined).sort().at(-1);
  if (newest !== undefined && stamp <= newest) stamp = timestampOf(new Date(dateOf(newest).getTime() + 1000));
  return `${stamp}_${snakeCase(name)}`;
}
