import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SNAPSHOT_VERSION } from '@strata/model';
import { h1, sha256Hex } from './checksum.js';
import { readDrizzleJournal, DRIZZLE_JOURNAL, type DrizzleJournalEntry } from './drizzle-kit-journal.js';
import { checkSumFile } from './integrity-file.js';
import { parseMetaFile, snapshotHeader } from './meta-file.js';
import { MIGRATION_NAME } from './migration-name.js';
import { NO_TRANSACTION_DIRECTIVE, type MigrationFile, type MigrationFolder, type MigrationMeta, type MigrationPart } from './migration.js';
import { PART_MARKER, scanSql } from './sql-splitter.js';
import { splitParts } from './split-parts.js';

/**
 * Reads a migration folder: Strata migrations (`<name>.sql`, `<name>.down.sql`,
 * `meta/<name>.json`), drizzle-kit migrations listed in `meta/_journal.json`, and checks the
 * integrity file. Never throws for a bad folder: what is wrong is listed in `problems`
 * (`assertFolderUsable` turns them into an error). A folder that does not exist is empty.
 *
 * @example
 * const folder = readMigrationFolder('./migrations');
 * for (const m of folder.migrations) console.log(m.name, m.up.statements.length);
 */
export function readMigrationFolder(out: string): MigrationFolder {
  const dir = resolve(out);
  const folder: MigrationFolder = { dir, migrations: [], problems: [] };
  if (!existsSync(dir)) return folder;
  const problems = folder.problems;
  const files = new Set(readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name));
  const metaDir = join(dir, 'meta');
  const metaFiles = new Set(existsSync(metaDir) ? readdirSync(metaDir).filter((f) => f.endsWith('.json')) : []);
  const used = new Set<string>();
  // Bytes read once: the integrity check hashes the same files.
  const read = new Map<string, Buffer>();

  let journal: DrizzleJournalEntry[] = [];
  try {
    journal = readDrizzleJournal(dir) ?? [];
  } catch (e) {
    problems.push({ kind: 'corrupt', file: DRIZZLE_JOURNAL, message: `drizzle-kit journal ${(e as Error).message}` });
  }
  const seen = new Set<string>();
  for (const entry of journal) {
    const file = `${entry.tag}.sql`;
    if (!files.has(file)) {
      problems.push({ kind: 'corrupt', file, message: `listed in ${DRIZZLE_JOURNAL} (entry ${entry.idx}) but the file is missing` });
      continue;
    }
    if (seen.has(entry.tag)) {
      problems.push({ kind: 'corrupt', file: DRIZZLE_JOURNAL, message: `lists "${entry.tag}" twice` });
      continue;
    }
    seen.add(entry.tag);
    used.add(file);
    const up = readSqlFile(dir, file, read);
    folder.migrations.push({
      name: entry.tag,
      source: 'drizzle-kit',
      up,
      down: readDown(entry.tag),
      meta: null,
      checksum: up.checksum,
      drizzleKit: { idx: entry.idx, when: entry.when, hash: sha256Hex(readFileSync(up.path)) },
    });
  }
  if (journal.length > 0) {
    used.add(DRIZZLE_JOURNAL);
    // drizzle-kit's own snapshots (`0000_snapshot.json`) belong to its journal.
    for (const f of metaFiles) if (/^\d+_snapshot\.json$/.test(f)) used.add(`meta/${f}`);
  }

  const strataNames = [...files]
    .filter((f) => f.endsWith('.sql') && !f.endsWith('.down.sql') && !used.has(f))
    .map((f) => f.slice(0, -'.sql'.length))
    .sort();
  for (const name of strataNames) {
    const file = `${name}.sql`;
    used.add(file);
    if (!MIGRATION_NAME.test(name)) {
      problems.push({ kind: 'corrupt', file, message: 'is not a migration name: Strata migrations are named YYYYMMDDHHMMSS_name.sql (UTC, lower snake case)' });
      continue;
    }
    const metaFile = `meta/${name}.json`;
    used.add(metaFile);
    const meta = readMeta(name, metaFile);
    if (!meta) continue;
    const up = readSqlFile(dir, file, read);
    folder.migrations.push({ name, source: 'strata', up, down: readDown(name), meta, checksum: up.checksum });
  }

  for (const f of files) {
    if (f.endsWith('.down.sql') && !used.has(f)) problems.push({ kind: 'corrupt', file: f, message: `is a down migration without its up file ${f.replace(/\.down\.sql$/, '.sql')}` });
  }
  for (const f of metaFiles) {
    if (!used.has(`meta/${f}`)) problems.push({ kind: 'corrupt', file: `meta/${f}`, message: 'belongs to no migration in the folder' });
  }

  const byParent = new Map<string | null, string[]>();
  for (const m of folder.migrations) {
    if (!m.meta) continue;
    const list = byParent.get(m.meta.parent) ?? [];
    list.push(m.name);
    byParent.set(m.meta.parent, list);
  }
  const names = new Set(folder.migrations.map((m) => m.name));
  for (const [parent, children] of byParent) {
    if (children.length > 1) problems.push({ kind: 'branch-conflict', parent, migrations: children });
    if (parent !== null && !names.has(parent)) {
      for (const child of children) problems.push({ kind: 'corrupt', file: `meta/${child}.json`, message: `names the parent migration "${parent}", which is not in the folder` });
    }
  }

  const integrity = checkSumFile(dir, folder.migrations.some((m) => m.source === 'strata') || metaFiles.has('strata.sum'), read);
  if (integrity) problems.push({ kind: 'integrity', ...integrity });
  return folder;

  function readDown(name: string): MigrationFile | null {
    const file = `${name}.down.sql`;
    if (!files.has(file)) return null;
    used.add(file);
    return readSqlFile(dir, file, read);
  }

  function readMeta(name: string, metaFile: string): MigrationMeta | null {
    if (!metaFiles.has(`${name}.json`)) {
      problems.push({ kind: 'corrupt', file: `${name}.sql`, message: `has no meta file ${metaFile}` });
      return null;
    }
    const bytes = readFileSync(join(dir, metaFile));
    read.set(metaFile, bytes);
    const parsed = parseMetaFile(bytes, metaFile);
    if ('error' in parsed) {
      problems.push({ kind: 'corrupt', file: metaFile, message: `is not valid JSON: ${parsed.error}` });
      return null;
    }
    const raw = parsed.value;
    const why = metaError(raw, name);
    if (why) {
      problems.push({ kind: 'corrupt', file: metaFile, message: why });
      return null;
    }
    return raw as MigrationMeta;
  }
}

function metaError(raw: unknown, name: string): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'must be a JSON object';
  const m = raw as Record<string, unknown>;
  if (m.version !== 1) return `has version ${JSON.stringify(m.version)}; this Strata reads version 1`;
  if (m.name !== name) return `names the migration ${JSON.stringify(m.name)}, not "${name}"`;
  if (m.parent !== null && typeof m.parent !== 'string') return '"parent" must be a migration name or null';
  if (typeof m.custom !== 'boolean') return '"custom" must be true or false';
  if (m.multiStep !== undefined) {
    const ms = m.multiStep as Record<string, unknown> | null;
    const ok = typeof ms === 'object' && ms !== null &&
      ((ms.phase === 'expand' && Array.isArray(ms.columns)) || (ms.phase === 'contract' && typeof ms.expand === 'string'));
    if (!ok) return '"multiStep" must be { phase: "expand", columns } or { phase: "contract", expand }';
  }
  if (m.serverFeatures !== undefined) {
    const uses = m.serverFeatures;
    const ok = Array.isArray(uses) && uses.every((u) => typeof u === 'object' && u !== null &&
      typeof (u as Record<string, unknown>).feature === 'string' && Number.isInteger((u as Record<string, unknown>).minMajor) && typeof (u as Record<string, unknown>).object === 'string');
    if (!ok) return '"serverFeatures" must be a list of { feature, minMajor, object }';
  }
  const s = snapshotHeader(m);
  if (!s.hasSchemas || s.version !== SNAPSHOT_VERSION || s.dialect !== 'postgresql') {
    return `"snapshot" must be a Strata snapshot (version ${SNAPSHOT_VERSION}, dialect "postgresql")`;
  }
  return null;
}

/** Reads one SQL file of the folder: text, statements, directive, checksum. */
export function readSqlFile(dir: string, file: string, read?: Map<string, Buffer>): MigrationFile {
  const path = join(dir, file);
  const bytes = readFileSync(path);
  read?.set(file, bytes);
  const sql = bytes.toString('utf8');
  const firstLine = sql.replace(/^\uFEFF/, '').split('\n', 1)[0]!.trim();
  // Split on first use: `status` and `check` read every file but run none (a 1,000-table
  // migration is thousands of statements). splitSql never throws, so nothing is reported later.
  const noTransaction = firstLine === NO_TRANSACTION_DIRECTIVE;
  let scanned: { statements: MigrationFile['statements']; parts: MigrationPart[] } | undefined;
  const scan = () => {
    if (!scanned) {
      const { statements, markers } = scanSql(sql);
      scanned = { statements, parts: splitParts(statements, markers, noTransaction) };
    }
    return scanned;
  };
  let single: MigrationPart[] | undefined;
  return {
    file, path, sql, noTransaction, checksum: h1(bytes),
    get statements() {
      return scan().statements;
    },
    get parts() {
      if (sql.includes(PART_MARKER)) return scan().parts;
      // No marker line: one part of every statement (as splitParts makes it), its length known
      // without splitting the file, which is all `status` asks of an applied migration.
      single ??= [{ index: 1, noTransaction, line: 1, get statements() { return scan().statements; } }];
      return single;
    },
  };
}
