import { StrataError } from '@strata/core';
import type * as V from 'valibot';
import { valibot } from './commonjs-deps.js';
import { snapshotSchema } from './snapshot-schema.js';
import { SNAPSHOT_UPGRADES, upgradeSnapshotJson, type SnapshotUpgrades } from './snapshot-upgrades.js';
import type { Snapshot, Table } from './snapshot.js';

export interface ParseSnapshotOptions {
  /** Upgrade steps to use (tests pass their own; default: Strata's). */
  upgrades?: SnapshotUpgrades;
}

/** One problem found in a snapshot: where (`schemas.public.tables.users.columns[2].type`) and what. */
export interface SnapshotProblem {
  path: string;
  message: string;
}

const MAX_LISTED = 10;

/**
 * Validates snapshot JSON strictly and returns it typed: every field's type, no unknown fields,
 * map keys equal to the names inside, and every column a constraint or index names present in its
 * table. Older versions are upgraded first. Throws `StrataError('SNAPSHOT_INVALID')` whose message
 * names the source and the first wrong path, e.g.
 * `meta/0003.json: schemas.public.tables.users.columns[2].type: expected string, got 5`.
 *
 * @example
 * const snapshot = parseSnapshot(JSON.parse(text), 'migrations/meta/20240101_init.json');
 */
export function parseSnapshot(json: unknown, source = 'snapshot', options: ParseSnapshotOptions = {}): Snapshot {
  const upgraded = upgradeSnapshotJson(json, source, options.upgrades ?? SNAPSHOT_UPGRADES);
  // valibot drops record keys named __proto__, constructor and prototype: all valid PostgreSQL
  // names. They are hidden behind a prefix while validating and restored afterwards — only when
  // there is one: the two deep copies took ~70 ms of a 1,000-table snapshot.
  const hidden = hasUnsafeKey(upgraded);
  const result = valibot().safeParse(snapshotSchema(), hidden ? mapKeys(upgraded, hideKey) : upgraded);
  const output = result.success ? ((hidden ? mapKeys(result.output, restoreKey) : result.output) as Snapshot) : undefined;
  const problems = output ? consistencyProblems(output) : (result.issues ?? []).map(toProblem);
  if (problems.length > 0) {
    const [first] = problems as [SnapshotProblem, ...SnapshotProblem[]];
    const rest = problems.slice(1, MAX_LISTED).map((p) => `${p.path || '(root)'}: ${p.message}`);
    if (problems.length > MAX_LISTED) rest.push(`… and ${problems.length - MAX_LISTED} more`);
    throw new StrataError('SNAPSHOT_INVALID', `${source}: ${first.path || '(root)'}: ${first.message}`, {
      details: rest,
      hint: 'Snapshots are written by Strata; if this one was edited by hand, restore it from version control.',
    });
  }
  return output as Snapshot;
}

const HIDDEN = '\u0000';
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const hideKey = (key: string) => (UNSAFE_KEYS.has(key) ? `${HIDDEN}${key}` : key);
const restoreKey = (key: string) => (key.startsWith(HIDDEN) ? key.slice(HIDDEN.length) : key);

/** Whether any object in `value` has an own key valibot would drop. */
function hasUnsafeKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasUnsafeKey);
  for (const key of UNSAFE_KEYS) if (Object.hasOwn(value, key)) return true;
  for (const key in value) if (Object.hasOwn(value, key) && hasUnsafeKey((value as Record<string, unknown>)[key])) return true;
  return false;
}

function mapKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, rename));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), mapKeys(v, rename)]));
}

function toProblem(issue: V.BaseIssue<unknown>): SnapshotProblem {
  const path = formatPath((issue.path ?? []).map((p) => (p as { key: unknown }).key));
  if (issue.type === 'strict_object' && issue.expected === 'never') return { path, message: 'unknown field' };
  if (issue.received === 'undefined' && issue.kind === 'schema') return { path, message: 'missing' };
  return { path, message: `${issue.message}, got ${issue.received}` };
}

/**
 * Formats a path as JavaScript would write it.
 *
 * @example
 * formatPath(['schemas', 'public', 'tables', 'my table', 'columns', 0]) // => 'schemas.public.tables["my table"].columns[0]'
 */
export function formatPath(keys: readonly unknown[]): string {
  let out = '';
  for (const raw of keys) {
    const key = typeof raw === 'string' ? restoreKey(raw) : raw;
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function consistencyProblems(snapshot: Snapshot): SnapshotProblem[] {
  const problems: SnapshotProblem[] = [];
  const add = (keys: unknown[], message: string) => problems.push({ path: formatPath(keys), message });
  const keyed = (base: unknown[], map: Record<string, { name: string; schema?: string }>, schema?: string) => {
    for (const [key, item] of Object.entries(map)) {
      if (item.name !== key) add([...base, key, 'name'], `is ${JSON.stringify(item.name)} but the key is ${JSON.stringify(key)}`);
      if (schema !== undefined && item.schema !== undefined && item.schema !== schema) {
        add([...base, key, 'schema'], `is ${JSON.stringify(item.schema)} but it is listed in schema ${JSON.stringify(schema)}`);
      }
    }
  };
  if (!snapshot.schemas.public) add(['schemas', 'public'], 'missing (public is always listed)');
  for (const [schemaKey, schema] of Object.entries(snapshot.schemas)) {
    const base = ['schemas', schemaKey];
    if (schema.name !== schemaKey) add([...base, 'name'], `is ${JSON.stringify(schema.name)} but the key is ${JSON.stringify(schemaKey)}`);
    keyed([...base, 'tables'], schema.tables, schemaKey);
    keyed([...base, 'enums'], schema.enums, schemaKey);
    keyed([...base, 'sequences'], schema.sequences, schemaKey);
    keyed([...base, 'views'], schema.views, schemaKey);
    for (const [key, e] of Object.entries(schema.enums)) {
      const dup = e.values.find((value, i) => e.values.indexOf(value) !== i);
      if (dup !== undefined) add([...base, 'enums', key, 'values'], `lists ${JSON.stringify(dup)} twice`);
    }
    for (const [key, table] of Object.entries(schema.tables)) tableProblems([...base, 'tables', key], table, add);
  }
  return problems;
}

function tableProblems(base: unknown[], table: Table, add: (keys: unknown[], message: string) => void): void {
  const names = table.columns.map((c) => c.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) add([...base, 'columns', i, 'name'], `${JSON.stringify(n)} is listed twice`);
  });
  table.columns.forEach((c, i) => {
    if (c.identity && c.dimensions > 0) add([...base, 'columns', i, 'identity'], 'an array column cannot be an identity');
  });
  const known = (keys: unknown[], cols: readonly string[]) =>
    cols.forEach((c, i) => {
      if (!names.includes(c)) add([...keys, i], `names column ${JSON.stringify(c)}, which the table does not have`);
    });
  const keyedByName = (field: 'uniques' | 'checks' | 'foreignKeys' | 'indexes' | 'policies') => {
    for (const [key, item] of Object.entries(table[field])) {
      if (item.name !== key) add([...base, field, key, 'name'], `is ${JSON.stringify(item.name)} but the key is ${JSON.stringify(key)}`);
    }
  };
  (['uniques', 'checks', 'foreignKeys', 'indexes', 'policies'] as const).forEach(keyedByName);
  if (table.primaryKey) known([...base, 'primaryKey', 'columns'], table.primaryKey.columns);
  for (const [key, u] of Object.entries(table.uniques)) known([...base, 'uniques', key, 'columns'], u.columns);
  for (const [key, fk] of Object.entries(table.foreignKeys)) {
    known([...base, 'foreignKeys', key, 'columns'], fk.columns);
    if (fk.columns.length !== fk.foreignColumns.length) {
      add([...base, 'foreignKeys', key, 'foreignColumns'], `has ${fk.foreignColumns.length} columns but columns has ${fk.columns.length}`);
    }
  }
  for (const [key, index] of Object.entries(table.indexes)) {
    index.elements.forEach((e, i) => {
      if (!e.expression && !names.includes(e.value)) add([...base, 'indexes', key, 'elements', i, 'value'], `names column ${JSON.stringify(e.value)}, which the table does not have`);
    });
  }
  for (const [key, p] of Object.entries(table.policies)) {
    const sorted = [...new Set(p.to)].sort();
    if (sorted.join('\u0000') !== p.to.join('\u0000')) add([...base, 'policies', key, 'to'], 'must be sorted and without repeats');
  }
}
