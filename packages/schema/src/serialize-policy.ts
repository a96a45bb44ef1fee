import { StrataError, truncateIdentifier } from '@strata/core';
import type { PgPolicy, PgRole as PgRoleType } from 'drizzle-orm/pg-core';
import { is, PgRole } from './drizzle.js';
import { renderSql, isSql, type Casing } from './render-sql.js';
import type { Policy } from './snapshot.js';

const AS = ['permissive', 'restrictive'] as const;
const FOR = ['all', 'select', 'insert', 'update', 'delete'] as const;

/**
 * Turns a `pgPolicy(…)` into a Snapshot policy: `as` and `for` lower-case with PostgreSQL's
 * defaults (permissive, all), `to` as sorted role names (`public` when not given), clauses as SQL.
 * A role named twice stays twice: PostgreSQL keeps every entry of the TO list in `polroles`
 * (`TO current_user, session_user` is stored as the same role twice), so the snapshot does too.
 *
 * @example
 * serializePolicy(pgPolicy('own', { for: 'select', to: 'authenticated', using: sql`true` }), undefined, 'public.posts')
 * // => { name: 'own', as: 'permissive', for: 'select', to: ['authenticated'], using: 'true' }
 */
export function serializePolicy(policy: PgPolicy, casing: Casing | undefined, qualifiedTable: string): Policy {
  const name = truncateIdentifier(policy.name);
  const what = `policy "${name}" on ${qualifiedTable}`;
  const as = (policy.as ?? 'permissive').toLowerCase();
  const forCmd = (policy.for ?? 'all').toLowerCase();
  if (!(AS as readonly string[]).includes(as)) throw new StrataError('SCHEMA_INVALID', `${what}: "as" must be permissive or restrictive, got ${JSON.stringify(policy.as)}`);
  if (!(FOR as readonly string[]).includes(forCmd)) throw new StrataError('SCHEMA_INVALID', `${what}: "for" must be one of ${FOR.join(', ')}, got ${JSON.stringify(policy.for)}`);
  const to = roleNames(policy.to, what);
  // In key order, as the snapshot is written (see canonicalJson).
  const out: Policy = { as: as as Policy['as'], for: forCmd as Policy['for'], name, to };
  if (policy.using !== undefined) out.using = clause(policy.using, casing, `${what} (using)`);
  if (policy.withCheck !== undefined) out.withCheck = clause(policy.withCheck, casing, `${what} (with check)`);
  return out;
}

function clause(value: unknown, casing: Casing | undefined, what: string): string {
  if (!isSql(value)) throw new StrataError('SCHEMA_INVALID', `${what}: expected an sql\`…\` expression`);
  return renderSql(value, { casing, what });
}

function roleNames(to: unknown, what: string): string[] {
  if (to === undefined || to === null) return ['public'];
  const list = Array.isArray(to) ? to : [to];
  const names = list.map((r: unknown) => {
    if (typeof r === 'string') return truncateIdentifier(r);
    if (is(r, PgRole)) return truncateIdentifier((r as PgRoleType).name);
    throw new StrataError('SCHEMA_INVALID', `${what}: "to" must name roles (strings or pgRole), got ${typeof r}`);
  });
  return names.sort();
}
