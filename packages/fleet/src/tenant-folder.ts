import { scanSql, splitParts, type MigrationFile, type MigrationFolder } from '@strata/runner';
import { substituteSchema } from './substitute-schema.js';

/**
 * The migration folder as it applies to the tenant schema `to`: every up and down file's SQL with
 * the managed schema `from` substituted (`substituteSchema`), its statements and parts split from
 * that text. Checksums stay those of the files as written, so every tenant's history records the
 * same checksums as the folder's `strata.sum` and a single-database run. Lines do not move.
 *
 * @example
 * const acme = folderForSchema(readMigrationFolder('./migrations'), 'tenant', 'acme');
 * await migrate(db, acme, { history: tenantHistory(config.history, 'acme') });
 */
export function folderForSchema(folder: MigrationFolder, from: string, to: string): MigrationFolder {
  if (from === to) return folder;
  return {
    ...folder,
    migrations: folder.migrations.map((m) => ({
      ...m,
      up: substituted(m.up, from, to),
      down: m.down ? substituted(m.down, from, to) : null,
    })),
  };
}

function substituted(file: MigrationFile, from: string, to: string): MigrationFile {
  const sql = substituteSchema(file.sql, from, to);
  let scanned: { statements: MigrationFile['statements']; parts: MigrationFile['parts'] } | undefined;
  const scan = () => {
    if (!scanned) {
      const { statements, markers } = scanSql(sql);
      scanned = { statements, parts: splitParts(statements, markers, file.noTransaction) };
    }
    return scanned;
  };
  return {
    file: file.file,
    path: file.path,
    sql,
    noTransaction: file.noTransaction,
    checksum: file.checksum,
    get statements() {
      return scan().statements;
    },
    get parts() {
      return scan().parts;
    },
  };
}
