import { canonicalCollation, type CheckConstraint, type Column, type Index, type Policy, type PrimaryKey, type Sequence, type UniqueConstraint, type View } from '@strata/schema';

/**
 * Definition equality per kind, names left out (two objects with equal definitions and different
 * names are a rename). Hints (`concurrently`, `withNoData`) are never compared. Foreign keys:
 * `sameForeignKey` of @strata/schema, which the serializer shares.
 */
const json = (v: unknown) => JSON.stringify(v);
const sortedEntries = (r: Record<string, string> | undefined) => Object.entries(r ?? {}).sort(([a], [b]) => a.localeCompare(b));

export const samePrimaryKey = (a: PrimaryKey, b: PrimaryKey) => json(a.columns) === json(b.columns);

export const sameUnique = (a: UniqueConstraint, b: UniqueConstraint) =>
  json(a.columns) === json(b.columns) && a.nullsNotDistinct === b.nullsNotDistinct;

export const sameCheck = (a: CheckConstraint, b: CheckConstraint) => a.expression === b.expression;

export const sameIndex = (a: Index, b: Index) =>
  json([a.unique, a.method, a.where ?? null, sortedEntries(a.with), a.nullsNotDistinct, a.elements.map(element)]) ===
  json([b.unique, b.method, b.where ?? null, sortedEntries(b.with), b.nullsNotDistinct, b.elements.map(element)]);

const element = (e: Index['elements'][number]) => [e.value, e.expression, e.desc, e.nullsFirst, e.opclass ?? null, e.collation === undefined ? null : canonicalCollation(e.collation)];

export const samePolicy = (a: Policy, b: Policy) =>
  json([a.as, a.for, [...a.to].sort(), a.using ?? null, a.withCheck ?? null]) === json([b.as, b.for, [...b.to].sort(), b.using ?? null, b.withCheck ?? null]);

export const sameView = (a: View, b: View) =>
  json([a.materialized, a.definition, sortedEntries(a.with)]) === json([b.materialized, b.definition, sortedEntries(b.with)]);

type SequenceOptions = Pick<Sequence, 'increment' | 'minValue' | 'maxValue' | 'start' | 'cache' | 'cycle'>;
export const sameSequenceOptions = (a: SequenceOptions, b: SequenceOptions) =>
  json([a.increment, a.minValue, a.maxValue, a.start, a.cache, a.cycle]) === json([b.increment, b.minValue, b.maxValue, b.start, b.cache, b.cycle]);

export const sameSequence = (a: Sequence, b: Sequence) => a.dataType === b.dataType && sameSequenceOptions(a, b);

export const sameIdentity = (a: NonNullable<Column['identity']>, b: NonNullable<Column['identity']>) =>
  a.type === b.type && sameSequenceOptions(a, b);
