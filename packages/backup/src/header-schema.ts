import * as v from 'valibot';
import { FORMAT_VERSION, type BackupHeader, type BackupTrailer, type TableEnd } from './backup-format.js';

// The valibot description of the JSON lines of a backup file, checked before anything is restored.

const str = v.string();
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const sha = v.pipe(str, v.regex(/^[0-9a-f]{64}$/, 'expected a sha256 in hex'));

const headerSchema = v.object({
  format: v.literal('strata-backup'),
  version: v.literal(FORMAT_VERSION),
  strataVersion: str,
  createdAt: str,
  source: v.object({
    url: str,
    backend: v.picklist(['postgres', 'pglite']),
    database: str,
    serverVersion: str,
    serverVersionNum: count,
    encoding: str,
  }),
  settings: v.record(v.pipe(str, v.regex(/^[A-Za-z_]+$/, 'expected a setting name')), str),
  schemas: v.array(str),
  tables: v.array(v.object({ schema: str, name: str, columns: v.array(str), rows: count })),
  statements: v.object({ preData: count, postData: count }),
  history: v.object({
    table: str,
    migrations: v.nullable(v.array(v.object({ name: str, checksum: str, appliedAt: str }))),
    dataMigrations: v.nullable(v.array(v.object({ name: str, status: str, rows: count, finishedAt: v.nullable(str) }))),
  }),
});

const tableEndSchema = v.object({ rows: count, sha256: sha });
const trailerSchema = v.object({ tables: count, rows: count, statements: count, sha256: sha });
const tableRefSchema = v.object({ schema: str, name: str });

/** Parses one JSON line against its schema; null with the reason when it does not fit. */
function parse<T>(schema: v.GenericSchema<unknown, T>, text: string): { ok: true; value: T } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message})` };
  }
  const r = v.safeParse(schema, json);
  if (r.success) return { ok: true, value: r.output };
  const issue = r.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return { ok: false, reason: `${path ? `${path}: ` : ''}${issue.message}` };
}

export const parseHeader = (text: string) => parse<BackupHeader>(headerSchema as v.GenericSchema<unknown, BackupHeader>, text);
export const parseTableEnd = (text: string) => parse<TableEnd>(tableEndSchema, text);
export const parseTrailer = (text: string) => parse<BackupTrailer>(trailerSchema, text);
export const parseTableRef = (text: string) => parse<{ schema: string; name: string }>(tableRefSchema, text);
