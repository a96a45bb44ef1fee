import { StrataError } from '@strata/core';
import type { Snapshot, Table } from '@strata/schema';
import { RenameMap, refKey, type Renames } from './rename-map.js';
import { candidateLabel, type RenameCandidate, type RenameKind, type RenameRequest, type RenameResolver } from './rename-resolver.js';
import type { ObjectRef } from './types.js';

const samePath = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((p, i) => p === b[i]);

/** Asks the resolver one question and checks that its answer only pairs the objects offered. */
async function ask(resolver: RenameResolver, request: RenameRequest): Promise<{ from: string[]; to: string[] }[]> {
  if (request.removed.length === 0 || request.added.length === 0) return [];
  const answer = await resolver.resolve(request);
  const usedFrom = new Set<string>();
  const usedTo = new Set<string>();
  return answer.map(({ from, to }) => {
    const f = request.removed.find((c) => samePath(c.path, from.path));
    const t = request.added.find((c) => samePath(c.path, to.path));
    const bad = (why: string): never => {
      throw new StrataError('USAGE', `Rename ${candidateLabel(from)} → ${candidateLabel(to)} cannot be applied: ${why}`);
    };
    if (!f) bad(`no removed ${request.kind} has that name`);
    if (!t) bad(`no added ${request.kind} has that name`);
    if (f!.materialized !== t!.materialized) bad('a view and a materialized view are different kinds of object');
    const fk = JSON.stringify(f!.path);
    const tk = JSON.stringify(t!.path);
    if (usedFrom.has(fk) || usedTo.has(tk)) bad('an object can be renamed only once');
    usedFrom.add(fk);
    usedTo.add(tk);
    return { from: f!.path, to: t!.path };
  });
}

interface Named {
  schema: string;
  name: string;
  materialized?: boolean;
}

/** Objects of one kind that lose or gain a name, after schema renames; then the resolver's pairs. */
async function resolveObjects(
  kind: Exclude<RenameKind, 'schema' | 'column'>,
  prevObjects: Named[],
  nextObjects: Named[],
  schemaOf: (s: string) => string,
  resolver: RenameResolver,
): Promise<{ from: ObjectRef; to: ObjectRef }[]> {
  const nextKeys = new Set(nextObjects.map((o) => refKey(o.schema, o.name)));
  const hit = new Set<string>();
  const removed: RenameCandidate[] = [];
  for (const o of prevObjects) {
    const key = refKey(schemaOf(o.schema), o.name);
    if (nextKeys.has(key)) hit.add(key);
    else removed.push(candidate(kind, [o.schema, o.name], o.materialized));
  }
  const added = nextObjects.filter((o) => !hit.has(refKey(o.schema, o.name))).map((o) => candidate(kind, [o.schema, o.name], o.materialized));
  const pairs = await ask(resolver, { kind, removed, added });
  return pairs.map(({ from, to }) => ({ from: { schema: from[0]!, name: from[1]! }, to: { schema: to[0]!, name: to[1]! } }));
}

function candidate(kind: RenameKind, path: string[], materialized?: boolean): RenameCandidate {
  return materialized === undefined ? { kind, path } : { kind, path, materialized };
}

const all = <T>(s: Snapshot, pick: (x: Snapshot['schemas'][string]) => Record<string, T>): T[] =>
  Object.values(s.schemas).flatMap((x) => Object.values(pick(x)));

/**
 * Finds the renames between two snapshots by asking the resolver, scope by scope: schemas, then
 * tables, enums and views (across schemas, so an object may move), then the columns of every table
 * present on both sides.
 */
export async function resolveRenames(prev: Snapshot, next: Snapshot, resolver: RenameResolver): Promise<Renames> {
  const prevSchemas = Object.keys(prev.schemas);
  const nextSchemas = Object.keys(next.schemas);
  const schemaPairs = await ask(resolver, {
    kind: 'schema',
    removed: prevSchemas.filter((s) => !next.schemas[s]).map((s) => candidate('schema', [s])),
    added: nextSchemas.filter((s) => !prev.schemas[s]).map((s) => candidate('schema', [s])),
  });
  const renames: Renames = {
    schemas: schemaPairs.map((p) => ({ from: p.from[0]!, to: p.to[0]! })),
    tables: [], enums: [], views: [], columns: [],
  };
  const schemaMap = new RenameMap(renames);
  const schemaOf = (s: string) => schemaMap.schema(s);
  renames.tables = await resolveObjects('table', all(prev, (x) => x.tables), all(next, (x) => x.tables), schemaOf, resolver);
  renames.enums = await resolveObjects('enum', all(prev, (x) => x.enums), all(next, (x) => x.enums), schemaOf, resolver);
  renames.views = await resolveObjects('view', all(prev, (x) => x.views), all(next, (x) => x.views), schemaOf, resolver);

  const map = new RenameMap(renames);
  const prevTables = all(prev, (x) => x.tables).sort((a, b) => refKey(a.schema, a.name).localeCompare(refKey(b.schema, b.name)));
  for (const p of prevTables) {
    const to = map.table(p.schema, p.name);
    const n: Table | undefined = next.schemas[to.schema]?.tables[to.name];
    if (!n) continue;
    const nextCols = new Set(n.columns.map((c) => c.name));
    const prevCols = new Set(p.columns.map((c) => c.name));
    const pairs = await ask(resolver, {
      kind: 'column',
      table: [to.schema, to.name],
      removed: p.columns.filter((c) => !nextCols.has(c.name)).map((c) => candidate('column', [p.schema, p.name, c.name])),
      added: n.columns.filter((c) => !prevCols.has(c.name)).map((c) => candidate('column', [to.schema, to.name, c.name])),
    });
    for (const { from, to: t } of pairs) {
      renames.columns.push({ fromTable: { schema: p.schema, name: p.name }, toTable: to, from: from[2]!, to: t[2]! });
    }
  }
  await resolver.finish?.();
  return renames;
}
