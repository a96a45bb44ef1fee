import { makeObjectName } from '@strata/core';
import type { Column } from '@strata/schema';
import { fitsIntegerType, sameType, serialKind } from './column-type.js';
import type { DiffContext, TablePair } from './diff-context.js';
import { mentionsAny } from './mentions.js';
import { refKey } from './rename-map.js';
import { sameIdentity } from './same.js';
import type { Change } from './types.js';

/**
 * Column changes of one table present on both sides: drops, renames, adds, and per column the
 * type, default, NOT NULL, identity, serial and generated-expression changes. A changed generated
 * expression is set in place (SET EXPRESSION) when the server is known to be PostgreSQL 17 or newer
 * and no column either expression reads changes type or goes; otherwise the column is dropped and
 * added again (older servers have no SET EXPRESSION, and refuse a type change of a column a
 * generated column reads). STORED ↔ VIRTUAL (PostgreSQL 18) has no ALTER: dropped and added again.
 */
export function compareColumns(ctx: DiffContext, pair: TablePair): void {
  const { prev, next, ref, origRef } = pair;
  const effects = ctx.effectsOf(pair.key);
  const prevCols = new Map(prev.columns.map((c) => [c.name, c]));
  const nextNames = new Set(next.columns.map((c) => c.name));
  const origName = new Map(pair.orig.columns.map((c) => [ctx.map.column(origRef, c.name), c.name]));
  const readd = new Map<string, string>();

  const rebuildOf = (c: Column) => (c.typeSchema !== undefined ? ctx.rebuilt.get(refKey(c.typeSchema, c.type)) : undefined);
  const typeChanges = (pc: Column, nc: Column) => !sameType(pc, nc) || rebuildOf(nc) !== undefined;

  // Type changes first: generated columns reading a converted column must be rebuilt around it.
  for (const nc of next.columns) {
    const pc = prevCols.get(nc.name);
    if (pc && typeChanges(pc, nc)) effects.typeChanged.add(nc.name);
  }
  const goes = prev.columns.filter((c) => !nextNames.has(c.name)).map((c) => c.name);
  const setInPlace = (ctx.options.serverMajor ?? 0) >= 17;
  for (const nc of next.columns) {
    const pc = prevCols.get(nc.name);
    if (pc?.generated?.virtual && nc.generated === undefined) {
      readd.set(nc.name, `column ${nc.name} stops being a virtual generated column, which has no values to keep: dropped and added again`);
    }
    if (!pc || nc.generated === undefined) continue;
    if (pc.generated === undefined) readd.set(nc.name, `column ${nc.name} becomes a generated column: dropped and added again`);
    else if (Boolean(pc.generated.virtual) !== Boolean(nc.generated.virtual)) {
      readd.set(nc.name, `column ${nc.name} changes between STORED and VIRTUAL, which PostgreSQL cannot change in place: dropped and added again`);
    } else if (pc.generated.expression !== nc.generated.expression) {
      const blocked = effects.typeChanged.has(nc.name) || mentionsAny(`${pc.generated.expression} ${nc.generated.expression}`, [...effects.typeChanged, ...goes]);
      if (!setInPlace || blocked) {
        readd.set(nc.name, `generated expression changed: ${setInPlace ? 'a column it reads changes type or goes' : 'servers before PostgreSQL 17 cannot change it in place'}, so the column is dropped and added again`);
      }
    } else if (effects.typeChanged.has(nc.name)) readd.set(nc.name, 'type of a generated column changed: dropped and added again');
    else if (mentionsAny(nc.generated.expression, [...effects.typeChanged].filter((c) => !readd.has(c)))) {
      readd.set(nc.name, 'a column this generated column reads changes type: dropped and added again around the change');
    }
  }
  for (const name of readd.keys()) {
    effects.typeChanged.delete(name);
    effects.readded.add(name);
  }

  // Dropped columns (old names; drops run before renames). Generated ones first: they read the others.
  const drops: Change[] = [];
  for (const pc of prev.columns) {
    const reason = readd.get(pc.name);
    if (nextNames.has(pc.name) && reason === undefined) continue;
    const old = origName.get(pc.name) ?? pc.name;
    effects.dropped.add(old);
    const column = { ...pc, name: old };
    drops.push(reason === undefined ? { kind: 'drop-column', table: origRef, column } : { kind: 'drop-column', table: origRef, column, reason });
  }
  drops.sort((a, b) => Number((b as { column: Column }).column.generated !== undefined) - Number((a as { column: Column }).column.generated !== undefined));
  ctx.push(...drops);

  for (const r of ctx.renames.columns) {
    if (r.fromTable.schema === origRef.schema && r.fromTable.name === origRef.name && !readd.has(r.to)) {
      ctx.push({ kind: 'rename-column', table: ref, from: r.from, to: r.to });
    }
  }

  for (const nc of next.columns) {
    const pc = prevCols.get(nc.name);
    const reason = readd.get(nc.name);
    if (!pc || reason !== undefined) {
      ctx.push(reason === undefined ? { kind: 'add-column', table: ref, column: nc } : { kind: 'add-column', table: ref, column: nc, reason });
      continue;
    }
    compareColumn(ctx, pair, pc, nc);
  }
}

function compareColumn(ctx: DiffContext, pair: TablePair, pcIn: Column, nc: Column): void {
  const table = pair.ref;
  const column = nc.name;
  const effects = ctx.effectsOf(pair.key);
  let pc = pcIn;
  const origColumn = pair.orig.columns.find((c) => ctx.map.column(pair.origRef, c.name) === column)?.name ?? column;
  if (pc.generated !== undefined && nc.generated === undefined) {
    // Runs with the drops (old names): a column this one read may be dropped next.
    ctx.push({ kind: 'drop-generated-expression', table: pair.origRef, column: origColumn });
    pc = { ...pc, generated: undefined };
  }
  if (pc.generated && nc.generated && pc.generated.expression !== nc.generated.expression) {
    // Only reached when compareColumns chose SET EXPRESSION (PostgreSQL 17+); runs after the adds.
    ctx.push({ kind: 'set-generated-expression', table, column, expression: nc.generated.expression, virtual: Boolean(nc.generated.virtual) });
  }
  const typeChanged = effects.typeChanged.has(column);
  const fromSerial = serialKind(pc.type);
  const toSerial = serialKind(nc.type);

  // Identity: removed before a type change or a default, added after NOT NULL is set.
  if (pc.identity && !nc.identity) ctx.push({ kind: 'drop-identity', table, column });
  if (!pc.identity && nc.identity) ctx.push({ kind: 'add-identity', table, column, identity: nc.identity });
  if (pc.identity && nc.identity) {
    if (!sameIdentity(pc.identity, nc.identity)) {
      // ALTER COLUMN TYPE also retypes the identity's sequence, which PostgreSQL refuses while its
      // bounds do not fit the new type (bigint → integer with MAXVALUE 10^11): set the new bounds
      // first whenever the old type holds them.
      const first = typeChanged && fitsIntegerType(nc.identity, pc.type);
      ctx.push({ kind: 'alter-identity', table, column, from: pc.identity, to: nc.identity, ...(first ? { beforeTypeChange: true as const } : {}) });
    }
    if (pc.identity.sequenceName !== nc.identity.sequenceName) {
      ctx.push({ kind: 'rename-sequence', schema: table.schema, from: pc.identity.sequenceName, to: nc.identity.sequenceName });
    }
  }

  if (fromSerial) {
    const from = makeObjectName(pair.origRef.name, origColumn, 'seq');
    const to = makeObjectName(table.name, column, 'seq');
    if (!toSerial) ctx.push({ kind: 'drop-serial', table, column, sequence: from });
    else if (from !== to) ctx.push({ kind: 'rename-sequence', schema: table.schema, from, to });
  }

  // Defaults: a type change keeps the old default expression (typed for the old type), so it is
  // dropped before and set again after (docs/postgres-behaviour.md#enums-types-defaults-generated-columns).
  const pd = fromSerial ? undefined : pc.default;
  const nd = toSerial || nc.identity || nc.generated ? undefined : nc.default;
  if (pd !== undefined && (nd === undefined || typeChanged || nd !== pd)) {
    if (nd === undefined || typeChanged) ctx.push({ kind: 'drop-column-default', table, column });
  }

  if (pc.notNull && !nc.notNull) ctx.push({ kind: 'drop-not-null', table, column });

  if (typeChanged) {
    const rebuild = nc.typeSchema !== undefined ? ctx.rebuilt.get(refKey(nc.typeSchema, nc.type)) : undefined;
    const sameEnum = rebuild !== undefined && pc.typeSchema === nc.typeSchema && pc.type === nc.type && pc.dimensions > 0 === nc.dimensions > 0;
    if (sameEnum) effects.enumConverted.add(column);
    ctx.push({
      kind: 'alter-column-type', table, column, from: pc, to: nc,
      ...(sameEnum ? { enumRebuild: { enum: { schema: nc.typeSchema!, name: nc.type }, tempName: rebuild.tempName, allowed: rebuild.to.values } } : {}),
    });
  }

  if (!fromSerial && toSerial) ctx.push({ kind: 'add-serial', table, column, serialType: toSerial });
  if (nd !== undefined && (typeChanged || nd !== pd)) ctx.push({ kind: 'set-column-default', table, column, default: nd });
  if (!pc.notNull && nc.notNull) ctx.push({ kind: 'set-not-null', table, column });
}
