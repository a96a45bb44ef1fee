import { randomBytes } from 'node:crypto';
import { StrataError, identValue, quoteIdent, tokenizeSql } from '@strata/core';
import { getEntry, setEntry, type Snapshot } from '@strata/model';
import type { DatabaseClient, Session } from '../client.js';
import { introspect } from '../introspect/introspect.js';
import { QueryError } from '../query-error.js';
import { extensionOfMissingType, missingExtensionHint } from '../extension-types.js';
import { execBatch } from '../exec-batch.js';
import { extensionSchemasSql } from '../extension-schemas.js';
import { expressionSites, mapSnapshot } from './map-snapshot.js';
import { replaceNames, rewriteSchemaRefs } from './rewrite-schema-refs.js';
import { objectKey, settleAgainst, type OpenObjects, type Settlement } from './settle.js';

export interface NormalizeOptions {
  /**
   * The SQL that builds a snapshot on an empty database (`createSnapshotSql` of `@strata/diff`,
   * mapped to its statements' text): injected, so that `@strata/db` does not depend on the differ.
   */
  buildSql: (snapshot: Snapshot) => string[];
  /**
   * The target database as `introspect` read it. Objects it proves already spelled (see
   * `settleAgainst`) are taken from it instead of being built, so a snapshot that matches the
   * database costs no round trip at all; the rest is built as usual, with the tables its foreign
   * keys point at.
   */
  reference?: Snapshot;
  /** `settleAgainst(snapshot, reference)` when the caller has it already. */
  settled?: Settlement;
}

/**
 * Lets the target server spell a code snapshot's expressions (defaults, checks, generated columns,
 * index expressions and predicates, view bodies, policies) and types the way its catalog will:
 * inside one transaction that is always rolled back, the snapshot is built in scratch schemas
 * (`strata_norm_<random>_<n>`, searched where the real ones are), read back with `introspect`, and
 * its names mapped back. Hints (an index's `concurrently`, a view's `withNoData`) are kept from
 * the input. The result compares exactly with `introspect` of a database built from the same code
 * on the same server.
 *
 * Throws `StrataError('SCHEMA_INVALID')` naming the object whose expression the server refused.
 *
 * @example
 * const normalized = await normalizeSnapshot(db, serializeSchema(modules), {
 *   buildSql: (s) => createSnapshotSql(s).map((st) => st.sql),
 * });
 */
export async function normalizeSnapshot(client: DatabaseClient | Session, snapshot: Snapshot, options: NormalizeOptions): Promise<Snapshot> {
  const settled = options.settled ?? (options.reference ? settleAgainst(snapshot, options.reference) : undefined);
  if (!settled || settled.wholeBuild) return spellOnServer(client, snapshot, options);
  if (settled.closed) return settled.snapshot;
  return mergeOpen(settled.snapshot, await spellOnServer(client, openPart(snapshot, settled.open), options), settled.open);
}

/**
 * What must be built to spell the open objects (no view or policy among them): every enum and
 * sequence (cheap, and columns and defaults name them), the open tables, and the tables their
 * foreign keys point at, without their own foreign keys and policies so the set stops there.
 */
function openPart(snapshot: Snapshot, open: OpenObjects): Snapshot {
  const part: Snapshot = { ...snapshot, schemas: {} };
  for (const [name, def] of Object.entries(snapshot.schemas)) setEntry(part.schemas, name, { ...def, tables: {}, views: {} });
  const targets: [string, string][] = [];
  for (const [schema, def] of Object.entries(snapshot.schemas)) {
    for (const [name, table] of Object.entries(def.tables)) {
      if (!open.tables.has(objectKey(schema, name))) continue;
      setEntry(getEntry(part.schemas, schema)!.tables, name, table);
      for (const fk of Object.values(table.foreignKeys)) targets.push([fk.foreignSchema, fk.foreignTable]);
    }
  }
  for (const [schema, name] of targets) {
    const into = getEntry(part.schemas, schema);
    const from = getEntry(snapshot.schemas, schema);
    const target = from && getEntry(from.tables, name);
    if (!into || !target || getEntry(into.tables, name)) continue;
    setEntry(into.tables, name, { ...target, foreignKeys: {}, policies: {}, rlsEnabled: false });
  }
  return part;
}

/** The settled snapshot with the open objects (and every enum and sequence) as the server spelled them. */
function mergeOpen(settled: Snapshot, spelled: Snapshot, open: OpenObjects): Snapshot {
  const out: Snapshot = { ...settled, schemas: {} };
  for (const [schema, def] of Object.entries(settled.schemas)) {
    const built = getEntry(spelled.schemas, schema)!;
    const tables = { ...def.tables };
    for (const name of Object.keys(tables)) if (open.tables.has(objectKey(schema, name))) setEntry(tables, name, getEntry(built.tables, name)!);
    setEntry(out.schemas, schema, { ...def, tables, enums: built.enums, sequences: built.sequences });
  }
  return out;
}

/** The whole snapshot built in scratch schemas and read back (see normalizeSnapshot). */
async function spellOnServer(client: DatabaseClient | Session, snapshot: Snapshot, options: NormalizeOptions): Promise<Snapshot> {
  const realNames = Object.keys(snapshot.schemas).sort();
  const tag = randomBytes(4).toString('hex');
  const toScratch = new Map(realNames.map((name, i) => [name, `strata_norm_${tag}_${i}`]));
  const toReal = new Map([...toScratch].map(([real, scratch]) => [scratch, real]));
  const scratch = toScratchSnapshot(snapshot, toScratch);

  return rolledBack(client, async (tx) => {
    const rendered = await renderedNames(tx, realNames, toScratch);
    const display = (text: string) => replaceNames(text, rendered);
    await tx.exec(`SET LOCAL search_path TO ${await mirroredSearchPath(tx, toScratch)}`);
    await tx.exec(`SET LOCAL lock_timeout = '10s'`);
    for (const name of toScratch.values()) await tx.exec(`CREATE SCHEMA ${quoteIdent(name)}`);
    const scratchNames = new Set(toScratch.values());
    const statements = options.buildSql(scratch).filter((statement) => !createsScratchSchema(statement, scratchNames));
    // One round trip for the whole build; only when the server refuses something are the
    // statements replayed one by one, to name the object at fault.
    if (!(await execBatch(tx, statements))) {
      for (const statement of statements) {
        try {
          await tx.exec(statement);
        } catch (e) {
          throw buildError(e, statement, scratch, display);
        }
      }
    }
    const built = await introspect(tx, { schemas: [...toScratch.values()], excludeSchemas: [] });
    const back = mapSnapshot(built, {
      schema: (s) => toReal.get(s) ?? s,
      typeSchema: (s) => toReal.get(s) ?? s,
      foreignSchema: (s) => toReal.get(s) ?? s,
      expression: display,
    });
    const result: Snapshot = { ...back, schemas: {} };
    for (const name of realNames) result.schemas[name] = back.schemas[name]!;
    copyHints(snapshot, result);
    return result;
  });
}

/** Moves every object into its scratch schema; references to objects the snapshot holds move along. */
function toScratchSnapshot(snapshot: Snapshot, toScratch: ReadonlyMap<string, string>): Snapshot {
  const holds = (schema: string, name: string) => {
    const def = snapshot.schemas[schema];
    return Boolean(def && (def.tables[name] || def.views[name] || def.enums[name] || def.sequences[name]));
  };
  const stripped = mapSnapshot(snapshot, {
    schema: (s) => toScratch.get(s) ?? s,
    typeSchema: (s, type) => (holds(s, type) ? toScratch.get(s) ?? s : s),
    foreignSchema: (s, table) => (holds(s, table) ? toScratch.get(s) ?? s : s),
    expression: (sql, site) => rewriteSchemaRefs(sql, (s, o) => (holds(s, o) ? toScratch.get(s) ?? null : null), site.table),
  });
  // Hints say how to build, not what is built; CONCURRENTLY cannot run inside a transaction.
  for (const def of Object.values(stripped.schemas)) {
    for (const t of Object.values(def.tables)) for (const i of Object.values(t.indexes)) delete i.concurrently;
  }
  return stripped;
}

function copyHints(from: Snapshot, to: Snapshot): void {
  for (const [schema, def] of Object.entries(to.schemas)) {
    const source = from.schemas[schema];
    if (!source) continue;
    for (const [name, t] of Object.entries(def.tables)) {
      for (const [iname, index] of Object.entries(t.indexes)) {
        delete index.concurrently;
        if (source.tables[name]?.indexes[iname]?.concurrently) index.concurrently = true;
      }
    }
    for (const [name, v] of Object.entries(def.views)) {
      delete v.withNoData;
      if (source.views[name]?.withNoData) v.withNoData = true;
    }
  }
}

/** How the server prints each real schema name as an identifier (quoted only when needed). */
async function renderedNames(tx: Session, realNames: string[], toScratch: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const r = await tx.query<{ name: string; quoted: string }>(
    `select x as name, pg_catalog.quote_ident(x) as quoted from jsonb_array_elements_text($1::jsonb) x`,
    [JSON.stringify(realNames)],
  );
  const quoted = new Map(r.rows.map((row) => [row.name, row.quoted]));
  return new Map(realNames.map((name) => [toScratch.get(name)!, quoted.get(name) ?? quoteIdent(name)]));
}

/**
 * The session's search_path with each managed schema's scratch copy in front of it, so that
 * the scratch objects resolve, and print qualified or not, exactly as the real ones would, then
 * the schemas holding an extension (see extensionSchemasSql).
 */
async function mirroredSearchPath(tx: Session, toScratch: ReadonlyMap<string, string>): Promise<string> {
  // The schemas holding an extension follow, as in every session `strata migrate` applies in.
  const r = await tx.query<{ path: string; usr: string; extensions: string | null }>(
    `select current_setting('search_path') as path, current_user::text as usr, ${extensionSchemasSql('pg_catalog.current_schemas(false)')} as extensions`,
  );
  const { path, usr, extensions } = r.rows[0]!;
  const entries: string[] = [];
  for (const part of splitSearchPath(path)) {
    const name = part === '$user' ? usr : part;
    const scratch = toScratch.get(name);
    if (scratch) entries.push(quoteIdent(scratch));
    entries.push(part === '$user' ? '"$user"' : quoteIdent(part));
  }
  if (entries.length === 0) entries.push(quoteIdent(toScratch.get('public') ?? 'public'));
  if (extensions) entries.push(extensions);
  return entries.join(', ');
}

function splitSearchPath(path: string): string[] {
  const names: string[] = [];
  for (const t of tokenizeSql(path)) {
    const v = identValue(t);
    if (v !== null) names.push(v);
  }
  return names;
}

function createsScratchSchema(statement: string, scratch: ReadonlySet<string>): boolean {
  const m = /^\s*CREATE\s+SCHEMA\s+(?:IF\s+NOT\s+EXISTS\s+)?("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\s*;?\s*$/i.exec(statement);
  if (!m) return false;
  const name = m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replaceAll('""', '"') : m[1]!.toLowerCase();
  return scratch.has(name);
}

/** Names the object whose expression the server refused, with the statement and the server's words. */
function buildError(e: unknown, statement: string, scratch: Snapshot, display: (s: string) => string): unknown {
  if (!(e instanceof QueryError)) return e;
  const extension = extensionOfMissingType(e.pg);
  if (extension !== null) {
    return new StrataError('SCHEMA_INVALID', `the schema code uses a type of the extension "${extension}", which the database does not have: ${e.message}`, {
      details: [`statement: ${display(statement)}`],
      hint: missingExtensionHint(extension),
      cause: e,
    });
  }
  const position = Number(e.pg.position ?? 0) - 1;
  const inStatement = expressionSites(scratch)
    .map((x) => ({ ...x, at: statement.indexOf(x.sql) }))
    .filter((x) => x.sql.length > 0 && x.at !== -1);
  const hit = inStatement.find((x) => position >= x.at && position <= x.at + x.sql.length) ?? (inStatement.length === 1 ? inStatement[0] : undefined);
  const details = [`statement: ${display(statement)}`, ...e.details];
  if (hit) {
    return new StrataError('SCHEMA_INVALID', `the server refused the ${display(hit.site.what)}: ${e.message}`, {
      details: [`expression: ${display(hit.sql)}`, ...details],
      hint: e.hint ?? 'Fix the expression in the schema code; it must be valid SQL for this server.',
      cause: e,
    });
  }
  return new StrataError('SCHEMA_INVALID', `the server refused to build the schema code: ${e.message}`, {
    details,
    hint: e.hint ?? 'Fix the object this statement builds in the schema code.',
    cause: e,
  });
}

/** Runs `fn` in a transaction (or a savepoint, inside one) that is always rolled back. */
async function rolledBack<T>(client: DatabaseClient | Session, fn: (tx: Session) => Promise<T>): Promise<T> {
  if ('inTransaction' in client) {
    const sp = `strata_normalize_${randomBytes(4).toString('hex')}`;
    await client.exec(client.inTransaction ? `SAVEPOINT ${sp}` : 'BEGIN');
    try {
      return await fn(client);
    } finally {
      await client.exec(client.inTransaction ? `ROLLBACK TO SAVEPOINT ${sp}; RELEASE SAVEPOINT ${sp}` : 'ROLLBACK');
    }
  }
  return client.session(async (s) => {
    await s.exec('BEGIN');
    try {
      return await fn(s);
    } finally {
      await s.exec('ROLLBACK');
    }
  });
}
