import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { canonicalJson, type ServerFeatureUse, type Snapshot } from '@strata/model';
import { h1 } from './checksum.js';
import { assertFolderUsable } from './folder-errors.js';
import { rehash, sumEntries } from './integrity-file.js';
import { newMigrationName } from './migration-name.js';
import { readMigrationFolder } from './migration-folder.js';
import type { MigrationFolder, MigrationMeta, MultiStepMeta } from './migration.js';

export interface NewMigration {
  /** Free text; written in lower snake case (`Add phone` → `add_phone`); default `migration`. */
  name?: string;
  /** The up SQL, statements separated by `--> statement-breakpoint` lines. */
  up: string;
  /** The reverse; null writes no down file (rollback then stops at this migration). */
  down: string | null;
  /** The schema after this migration. */
  snapshot: Snapshot;
  /** A hand-written migration (`generate --custom`). */
  custom?: boolean;
  /** The time that names the migration; default now. */
  now?: Date;
  /** One half of a multi-step change (recorded in its meta file). */
  multiStep?: MultiStepMeta;
  /** Statements only newer servers run (recorded in its meta file; `migrate` checks them). */
  serverFeatures?: ServerFeatureUse[];
  /**
   * The folder as the caller read it moments before (`generate` does, to diff against it): not
   * read again. Reading a long history of a big schema twice took a quarter of a second.
   */
  folder?: MigrationFolder;
}

/**
 * Adds a migration to the folder: `<name>.sql`, `<name>.down.sql` (unless `down` is null) and
 * `meta/<name>.json` (parent = the newest migration), then rewrites `meta/strata.sum`. Refuses a
 * folder with problems (a branch conflict, files that do not match the sum), since rewriting the
 * sum would hide them.
 *
 * @example
 * const { name, files } = writeMigration('./migrations', { name: 'add phone', up: 'ALTER TABLE …;', down: 'ALTER TABLE …;', snapshot });
 */
export function writeMigration(out: string, input: NewMigration): { name: string; files: string[] } {
  const dir = resolve(out);
  const folder = input.folder?.dir === dir ? input.folder : readMigrationFolder(dir);
  assertFolderUsable(folder);
  const name = newMigrationName(input.name ?? 'migration', input.now ?? new Date(), folder.migrations.map((m) => m.name));
  // In key order, as the file is written: canonicalJson then writes it natively.
  const meta: MigrationMeta = {
    custom: input.custom ?? false,
    ...(input.multiStep ? { multiStep: input.multiStep } : {}),
    name,
    parent: folder.migrations.at(-1)?.name ?? null,
    ...(input.serverFeatures?.length ? { serverFeatures: input.serverFeatures } : {}),
    snapshot: input.snapshot,
    version: 1,
  };
  mkdirSync(join(dir, 'meta'), { recursive: true });
  const files: string[] = [];
  // The sum lists each new file's hash: taken from the bytes written, not from reading them back.
  const written = new Map<string, string>();
  const write = (rel: string, text: string) => {
    const path = join(dir, rel);
    const tmp = `${path}.${process.pid}.tmp`;
    const bytes = Buffer.from(text, 'utf8');
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
    files.push(path);
    written.set(rel, h1(bytes));
  };
  const withNewline = (s: string) => (s.endsWith('\n') || s === '' ? s : `${s}\n`);
  write(`${name}.sql`, withNewline(input.up));
  if (input.down !== null) write(`${name}.down.sql`, withNewline(input.down));
  write(`meta/${name}.json`, canonicalJson(meta));
  // The folder was checked against the sum just above: its other files keep their listed hashes
  // (reading and hashing a long history again took longer than writing the migration).
  const known = (folder.problems.length === 0 ? sumEntries(dir) : null) ?? new Map<string, string>();
  for (const [rel, hash] of written) known.set(rel, hash);
  rehash(dir, known);
  return { name, files };
}
