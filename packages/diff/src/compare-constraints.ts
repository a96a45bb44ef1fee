import { quoteIdent } from '@strata/core';
import { sameForeignKey, uniqueIndexKey, type Index, type Table, type UniqueConstraint } from '@strata/schema';
import { uniquesAddedLater } from './sql/ddl.js';
import type { DiffContext, TablePair } from './diff-context.js';
import { mentionsAny } from './mentions.js';
import { refKey } from './rename-map.js';
import { sameCheck, sameIndex, samePolicy, samePrimaryKey, sameUnique } from './same.js';

interface Emit<T> {
  drop(p: T, reason?: string): void;
  add(n: T, reason?: string): void;
  rename(from: string, to: string): void;
}

/**
 * Compares one kind of named object of a table. Same name, different definition: drop and add.
 * A removed and an added object with equal definitions: a rename (how a `_pkey` or a default-named
 * index follows its table). `forced` gives a reason to rebuild an object that did not change itself.
 */
function compareKeyed<T extends { name: string }>(
  prev: Record<string, T>, next: Record<string, T>, same: (a: T, b: T) => boolean, forced: (p: T) => string | undefined, emit: Emit<T>,
): void {
  const added: T[] = [];
  for (const name of Object.keys(next).sort()) {
    const n = next[name]!;
    const p = prev[name];
    if (!p) {
      added.push(n);
      continue;
    }
    const why = forced(p);
    if (!same(p, n)) {
      emit.drop(p);
      emit.add(n);
    } else if (why !== undefined) {
      emit.drop(p, why);
      emit.add(n, why);
    }
  }
  for (const name of Object.keys(prev).sort()) {
    if (next[name]) continue;
    const p = prev[name]!;
    const twin = forced(p) === undefined ? added.find((a) => same(p, a)) : undefined;
    if (twin) {
      added.splice(added.indexOf(twin), 1);
      emit.rename(p.name, twin.name);
    } else {
      emit.drop(p);
    }
  }
  for (const n of added) emit.add(n);
}

const single = <T extends { name: string }>(x: T | undefined): Record<string, T> => (x ? { [x.name]: x } : {});

/**
 * The order-free key of a column set: PostgreSQL lets a foreign key use a unique index whose columns
 * are the referenced columns in any order (and only such an index), so only a dropped key with the
 * same set can be what a foreign key depends on.
 *
 * @example
 * keyColumns(['b', 'a']) === keyColumns(['a', 'b']) // => true
 */
function keyColumns(columns: readonly string[]): string {
  return JSON.stringify([...columns].sort());
}

function noteKeyDropped(ctx: DiffContext, table: string, columns: readonly string[]): void {
  let sets = ctx.keyDropped.get(table);
  if (!sets) ctx.keyDropped.set(table, (sets = new Set()));
  sets.add(keyColumns(columns));
}

/**
 * Why a unique constraint the code no longer has is dropped when another constraint left on the
 * table enforces the same: an earlier Strata added a unique that repeats another with ALTER TABLE,
 * where CREATE TABLE (and drizzle-kit) keeps one, and the snapshot now keeps one too. Nothing
 * stops being enforced.
 *
 * @example
 * redundantUnique(users_email_key, next) // => 'redundant: "users_email_unique" enforces the same UNIQUE (email)'
 */
function redundantUnique(p: UniqueConstraint, next: Table): string | undefined {
  const key = uniqueIndexKey(p.columns, p.nullsNotDistinct);
  const kept = next.primaryKey && uniqueIndexKey(next.primaryKey.columns, false) === key
    ? next.primaryKey.name
    : Object.values(next.uniques).find((u) => u.name !== p.name && uniqueIndexKey(u.columns, u.nullsNotDistinct) === key)?.name;
  if (kept === undefined) return undefined;
  return `redundant: ${quoteIdent(kept)} enforces the same UNIQUE${p.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''} (${p.columns.map(quoteIdent).join(', ')})`;
}

/** Primary keys, uniques, checks, indexes, policies and RLS of one table present on both sides (not foreign keys). */
export function compareConstraints(ctx: DiffContext, pair: TablePair): void {
  const { prev, next, ref, origRef } = pair;
  const effects = ctx.effectsOf(pair.key);
  const enumNames = ctx.rebuiltEnumNames();
  const enumWords = [...effects.enumConverted, ...(effects.enumConverted.size ? enumNames : [])];
  const readded = [...effects.readded];
  const onReadded = (columns: string[]) => (columns.some((c) => effects.readded.has(c)) ? 'a column it covers is dropped and added again' : undefined);
  const rename = (constraint: 'primary key' | 'unique' | 'check') => (from: string, to: string) =>
    ctx.push({ kind: 'rename-constraint', table: ref, constraint, from, to });

  compareKeyed(single(prev.primaryKey), single(next.primaryKey), samePrimaryKey, (p) => onReadded(p.columns), {
    drop: (p, reason) => {
      noteKeyDropped(ctx, pair.key, p.columns);
      ctx.push({ kind: 'drop-primary-key', table: origRef, primaryKey: p, ...(reason ? { reason } : {}) });
    },
    add: (n, reason) => ctx.push({ kind: 'add-primary-key', table: ref, primaryKey: n, newTable: false, ...(reason ? { reason } : {}) }),
    rename: rename('primary key'),
  });
  compareKeyed(prev.uniques, next.uniques, sameUnique, (p) => onReadded(p.columns), {
    drop: (p, reason = redundantUnique(p, next)) => {
      noteKeyDropped(ctx, pair.key, p.columns);
      ctx.push({ kind: 'drop-unique', table: origRef, unique: p, ...(reason ? { reason } : {}) });
    },
    add: (n, reason) => ctx.push({ kind: 'add-unique', table: ref, unique: n, newTable: false, ...(reason ? { reason } : {}) }),
    rename: rename('unique'),
  });
  const checkWords = [...effects.typeChanged, ...enumWords, ...readded];
  compareKeyed(prev.checks, next.checks, sameCheck,
    (p) => (mentionsAny(p.expression, checkWords) ? 'rebuilt around a column type change' : undefined), {
      drop: (p, reason) => ctx.push({ kind: 'drop-check', table: origRef, check: p, ...(reason ? { reason } : {}) }),
      add: (n, reason) => ctx.push({ kind: 'add-check', table: ref, check: n, newTable: false, ...(reason ? { reason } : {}) }),
      rename: rename('check'),
    });
  const indexText = (i: Index) => [i.where ?? '', ...i.elements.filter((e) => e.expression).map((e) => e.value)].join(' ');
  compareKeyed(prev.indexes, next.indexes, sameIndex,
    (p) => onReadded(p.elements.filter((e) => !e.expression).map((e) => e.value)) ??
      (mentionsAny(indexText(p), readded) ? 'a column it reads is dropped and added again' : undefined) ??
      (enumWords.length && mentionsAny(indexText(p), enumWords) ? 'rebuilt around an enum rebuild' : undefined), {
      drop: (p, reason) => {
        // A partial or expression index cannot back a foreign key.
        if (p.unique && p.where === undefined && p.elements.every((e) => !e.expression)) {
          noteKeyDropped(ctx, pair.key, p.elements.map((e) => e.value));
        }
        ctx.push({ kind: 'drop-index', table: origRef, index: p, ...(reason ? { reason } : {}) });
      },
      add: (n, reason) => ctx.push({
        kind: 'create-index', table: ref, index: n, newTable: false, concurrently: ctx.options.concurrently && n.concurrently === true,
        ...(reason ? { reason } : {}),
      }),
      rename: (from, to) => ctx.push({ kind: 'rename-index', table: ref, from, to }),
    });
  const policyWords = [...effects.typeChanged, ...effects.dropped, ...readded, ...enumNames];
  compareKeyed(prev.policies, next.policies, samePolicy,
    (p) => (mentionsAny(`${p.using ?? ''} ${p.withCheck ?? ''}`, policyWords) ? 'rebuilt around a change of a column it reads' : undefined), {
      drop: (p, reason) => ctx.push({ kind: 'drop-policy', table: origRef, policy: p, ...(reason ? { reason } : {}) }),
      add: (n, reason) => ctx.push({ kind: 'create-policy', table: ref, policy: n, newTable: false, ...(reason ? { reason } : {}) }),
      rename: (from, to) => ctx.push({ kind: 'rename-policy', table: ref, from, to }),
    });
  if (prev.rlsEnabled !== next.rlsEnabled) {
    ctx.push(next.rlsEnabled ? { kind: 'enable-rls', table: ref, newTable: false } : { kind: 'disable-rls', table: ref });
  }
}

/**
 * Foreign keys of one table present on both sides; run after every table's keys were compared,
 * since a foreign key is rebuilt when the key it references is, or when a column on either side
 * changes type.
 */
export function compareForeignKeys(ctx: DiffContext, pair: TablePair): void {
  const effects = ctx.effectsOf(pair.key);
  compareKeyed(pair.prev.foreignKeys, pair.next.foreignKeys, sameForeignKey, (p) => {
    const target = refKey(p.foreignSchema, p.foreignTable);
    const targetEffects = ctx.effects.get(target);
    if (p.columns.some((c) => effects.typeChanged.has(c) || effects.readded.has(c))) return 'rebuilt: a column of the foreign key changes type or is added again';
    if (p.foreignColumns.some((c) => targetEffects?.readded.has(c))) return 'rebuilt: a referenced column is dropped and added again';
    if (p.foreignColumns.some((c) => targetEffects?.typeChanged.has(c))) return 'rebuilt: a referenced column changes type';
    if (ctx.keyDropped.get(target)?.has(keyColumns(p.foreignColumns))) return 'rebuilt: the key it references is rebuilt';
    return undefined;
  }, {
    drop: (p, reason) => ctx.push({ kind: 'drop-foreign-key', table: pair.origRef, foreignKey: p, ...(reason ? { reason } : {}) }),
    add: (n, reason) => ctx.push({ kind: 'add-foreign-key', table: pair.ref, foreignKey: n, newTable: false, ...(reason ? { reason } : {}) }),
    rename: (from, to) => ctx.push({ kind: 'rename-constraint', table: pair.ref, constraint: 'foreign key', from, to }),
  });
}

/** The changes that build a table from nothing, beyond CREATE TABLE itself. */
export function createTableExtras(ctx: DiffContext, t: Table): void {
  const ref = { schema: t.schema, name: t.name };
  for (const name of [...uniquesAddedLater(t)].sort()) ctx.push({ kind: 'add-unique', table: ref, unique: t.uniques[name]!, newTable: true });
  for (const name of Object.keys(t.indexes).sort()) {
    ctx.push({ kind: 'create-index', table: ref, index: t.indexes[name]!, newTable: true, concurrently: false });
  }
  for (const name of Object.keys(t.foreignKeys).sort()) {
    ctx.push({ kind: 'add-foreign-key', table: ref, foreignKey: t.foreignKeys[name]!, newTable: true });
  }
  if (t.rlsEnabled) ctx.push({ kind: 'enable-rls', table: ref, newTable: true });
  for (const name of Object.keys(t.policies).sort()) {
    ctx.push({ kind: 'create-policy', table: ref, policy: t.policies[name]!, newTable: true });
  }
}
