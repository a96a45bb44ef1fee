import { StrataError, qualify, quoteIdent } from '@strata/core';
import type { DatabaseClient, Queryable } from '@strata/db';
import type {
  DeleteManyRequest, DeleteRequest, Filter, InsertRequest, Row, RowsRequest, RowsResponse, TableDetail, UpdateRequest, WriteValues,
} from './api-types.js';
import { cappedCount, describeTable } from './catalog.js';

/** The most rows one page may ask for. */
export const MAX_PAGE = 500;

function columnOf(table: TableDetail, name: string, what: string): string {
  if (!table.columns.some((c) => c.name === name)) {
    throw new StrataError('NOT_FOUND', `${qualify(table.schema, table.name)} has no column "${name}" (${what})`, { hint: 'Refresh the page: the table may have changed.' });
  }
  return quoteIdent(name);
}

/** `%`, `_` and `\` in a "contains" filter are literal characters, not patterns. */
function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function whereClause(table: TableDetail, filters: readonly Filter[], params: unknown[]): string {
  const parts: string[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  for (const f of filters) {
    const col = columnOf(table, f.column, 'filter');
    const value = () => {
      if (typeof f.value !== 'string') throw new StrataError('USAGE', `the filter on "${f.column}" needs a value`);
      return f.value;
    };
    switch (f.op) {
      case 'eq': parts.push(`${col} = ${param(value())}`); break;
      case 'ne': parts.push(`${col} is distinct from ${param(value())}`); break;
      case 'lt': parts.push(`${col} < ${param(value())}`); break;
      case 'le': parts.push(`${col} <= ${param(value())}`); break;
      case 'gt': parts.push(`${col} > ${param(value())}`); break;
      case 'ge': parts.push(`${col} >= ${param(value())}`); break;
      case 'contains': parts.push(`${col}::text ilike ${param(`%${likeEscape(value())}%`)}`); break;
      case 'is-null': parts.push(`${col} is null`); break;
      case 'not-null': parts.push(`${col} is not null`); break;
      default: {
        const never: never = f.op;
        throw new StrataError('USAGE', `unknown filter operator ${JSON.stringify(never)}`);
      }
    }
  }
  return parts.length ? ` where ${parts.join(' and ')}` : '';
}

/**
 * One page of a table's rows, sorted and filtered, and how many rows match (counted up to a cap).
 * Never reads the whole table: LIMIT/OFFSET, with the primary key (or the row's physical
 * position) as a tie-breaker so pages do not overlap.
 *
 * @example
 * const page = await readRows(db, { schema: 'public', table: 'users', limit: 50, offset: 0, sort: { column: 'name', direction: 'asc' }, filters: [] });
 */
export async function readRows(q: Queryable, request: RowsRequest): Promise<RowsResponse> {
  const table = await describeTable(q, request.schema, request.table);
  const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(request.limit)));
  const offset = Math.max(0, Math.floor(request.offset));
  const params: unknown[] = [];
  const from = qualify(table.schema, table.name) + whereClause(table, request.filters, params);
  const order: string[] = [];
  if (request.sort) order.push(`${columnOf(table, request.sort.column, 'sort')} ${request.sort.direction === 'desc' ? 'desc' : 'asc'}`);
  for (const k of table.primaryKey) order.push(quoteIdent(k));
  if (table.primaryKey.length === 0 && table.kind === 'table') order.push('ctid');
  const orderBy = order.length ? ` order by ${order.join(', ')}` : '';
  const rows = await q.query(`select * from ${from}${orderBy} limit ${limit} offset ${offset}`, params);
  const total = await cappedCount(q, from, params);
  return { rows: rows.rows, total };
}

function editable(table: TableDetail): void {
  if (table.readOnly) throw new StrataError('REFUSED', `${qualify(table.schema, table.name)}: ${table.readOnly}`);
}

function setList(table: TableDetail, values: WriteValues, params: unknown[]): { columns: string[]; placeholders: string[] } {
  const columns: string[] = [];
  const placeholders: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const col = table.columns.find((c) => c.name === name);
    if (!col) columnOf(table, name, 'value');
    else if (!col.writable) throw new StrataError('REFUSED', `column "${name}" is ${col.generated ? 'generated' : 'GENERATED ALWAYS AS IDENTITY'}: it cannot be written`);
    params.push(value);
    columns.push(quoteIdent(name));
    placeholders.push(`$${params.length}`);
  }
  return { columns, placeholders };
}

function keyClause(table: TableDetail, key: Row, params: unknown[]): string {
  const missing = table.primaryKey.filter((k) => !(k in key));
  if (missing.length) throw new StrataError('USAGE', `the row's key is missing ${missing.map((m) => `"${m}"`).join(', ')}`);
  return table.primaryKey
    .map((k) => {
      const v = key[k];
      params.push(typeof v === 'object' && v !== null ? JSON.stringify(v) : v);
      return `${quoteIdent(k)} = $${params.length}`;
    })
    .join(' and ');
}

/** Runs one write in its own transaction; it must touch exactly one row or it is rolled back. */
async function writeOne(db: DatabaseClient, sql: string, params: unknown[], what: string): Promise<Row | null> {
  return db.transaction(async (tx) => {
    const r = await tx.query(sql, params);
    if (r.rowCount !== 1) {
      throw new StrataError('NOT_FOUND', `the row to ${what} was not found (${r.rowCount} rows matched its key); nothing was changed`, {
        hint: 'Someone may have changed or deleted it: refresh the table.',
      });
    }
    return r.rows[0] ?? null;
  });
}

/**
 * Inserts a row (columns left out get their default) in a transaction; returns the new row.
 *
 * @example
 * await insertRow(db, { schema: 'public', table: 'users', values: { name: 'Ada' } });
 */
export async function insertRow(db: DatabaseClient, request: InsertRequest): Promise<Row | null> {
  const table = await describeTable(db, request.schema, request.table);
  editable(table);
  const params: unknown[] = [];
  const { columns, placeholders } = setList(table, request.values, params);
  const target = qualify(table.schema, table.name);
  const sql = columns.length
    ? `insert into ${target} (${columns.join(', ')}) values (${placeholders.join(', ')}) returning *`
    : `insert into ${target} default values returning *`;
  return writeOne(db, sql, params, 'insert');
}

/**
 * Updates the row with the given primary key, in a transaction; returns it as stored.
 *
 * @example
 * await updateRow(db, { schema: 'public', table: 'users', key: { id: 1 }, values: { name: 'Grace' } });
 */
export async function updateRow(db: DatabaseClient, request: UpdateRequest): Promise<Row | null> {
  const table = await describeTable(db, request.schema, request.table);
  editable(table);
  const params: unknown[] = [];
  const { columns, placeholders } = setList(table, request.values, params);
  if (columns.length === 0) throw new StrataError('USAGE', 'nothing to update: no values were given');
  const set = columns.map((c, i) => `${c} = ${placeholders[i]}`).join(', ');
  const where = keyClause(table, request.key, params);
  return writeOne(db, `update ${qualify(table.schema, table.name)} set ${set} where ${where} returning *`, params, 'update');
}

/**
 * Deletes the row with the given primary key, in a transaction.
 *
 * @example
 * await deleteRow(db, { schema: 'public', table: 'users', key: { id: 1 } });
 */
export async function deleteRow(db: DatabaseClient, request: DeleteRequest): Promise<void> {
  const table = await describeTable(db, request.schema, request.table);
  editable(table);
  const params: unknown[] = [];
  const where = keyClause(table, request.key, params);
  await writeOne(db, `delete from ${qualify(table.schema, table.name)} where ${where}`, params, 'delete');
}

/**
 * Deletes several rows by primary key in one transaction, all or none: every key must name a
 * row that is still there, or nothing is deleted. At most `MAX_PAGE` keys; values travel as
 * parameters.
 *
 * @example
 * await deleteRows(db, { schema: 'public', table: 'users', keys: [{ id: 1 }, { id: 2 }] }); // 2
 */
export async function deleteRows(db: DatabaseClient, request: DeleteManyRequest): Promise<number> {
  if (request.keys.length === 0) throw new StrataError('USAGE', 'bad request: no rows to delete');
  if (request.keys.length > MAX_PAGE) throw new StrataError('USAGE', `bad request: at most ${MAX_PAGE} rows can be deleted at once`);
  const table = await describeTable(db, request.schema, request.table);
  editable(table);
  const params: unknown[] = [];
  const seen = new Set<string>();
  const clauses: string[] = [];
  for (const key of request.keys) {
    const id = JSON.stringify(table.primaryKey.map((k) => key[k]));
    if (seen.has(id)) throw new StrataError('USAGE', `bad request: the row ${id} is named twice`);
    seen.add(id);
    clauses.push(`(${keyClause(table, key, params)})`);
  }
  const sql = `delete from ${qualify(table.schema, table.name)} where ${clauses.join(' or ')}`;
  return db.transaction(async (tx) => {
    const r = await tx.query(sql, params);
    if (r.rowCount !== request.keys.length) {
      throw new StrataError('NOT_FOUND', `${request.keys.length - (r.rowCount ?? 0)} of the ${request.keys.length} rows to delete were not found; nothing was deleted`, {
        hint: 'Someone may have changed or deleted them: refresh the table.',
      });
    }
    return request.keys.length;
  });
}
