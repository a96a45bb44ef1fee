import type { Command } from 'commander';

/** Registers one command on the program and returns it. */
export type RegisterCommand = (program: Command, state: { exitCode: number }) => Command;

/** One command of `strata`: what the top-level help shows of it, and how to load it. */
export interface CommandEntry {
  name: string;
  /** Its line in `strata --help` (name, `[options]`, arguments), as commander spells it. */
  term: string;
  /** Its one-line description, the same as the loaded command's. */
  summary: string;
  load: () => Promise<RegisterCommand>;
}

/**
 * Every command of `strata`, one module each, in help order. Each is imported only when needed:
 * a command loads its own packages (the studio's server, the backup format, …) and nothing else,
 * which is most of a short command's start-up time. `strata --help` and `--version` load none:
 * the term and summary here are what the help shows (a test keeps them equal to the modules').
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'init', term: 'init',
    summary: 'set up Strata here: strata.config.ts, a schema folder with an example table, the migration folder, .gitignore and db:* scripts',
    load: () => import('./init.js').then((m) => m.registerInit) },
  { name: 'generate', term: 'generate [options]',
    summary: 'compare the schema code with the newest migration and write the next migration (up, down, snapshot)',
    load: () => import('./generate.js').then((m) => m.registerGenerate) },
  { name: 'migrate', term: 'migrate [options]',
    summary: 'apply pending migrations in order, each in its own transaction, holding the migration lock',
    load: () => import('./migrate.js').then((m) => m.registerMigrate) },
  { name: 'status', term: 'status [options]',
    summary: 'show applied, pending, out-of-order, changed and missing migrations',
    load: () => import('./status.js').then((m) => m.registerStatus) },
  { name: 'rollback', term: 'rollback [options]',
    summary: 'run down migrations, newest first (default one step)',
    load: () => import('./rollback.js').then((m) => m.registerRollback) },
  { name: 'baseline', term: 'baseline [options]',
    summary: 'record migrations as applied without running them (adopting an existing database)',
    load: () => import('./baseline.js').then((m) => m.registerBaseline) },
  { name: 'hash', term: 'hash',
    summary: 'rewrite the integrity file (meta/strata.sum) after an intended edit of a migration not yet applied anywhere',
    load: () => import('./hash.js').then((m) => m.registerHash) },
  { name: 'check', term: 'check [options]',
    summary: 'exit 0 only when the database, the migration history and the schema code agree; report every difference',
    load: () => import('./check.js').then((m) => m.registerCheck) },
  { name: 'push', term: 'push [options]',
    summary: 'make the database match the schema code directly (development; no migration files or history)',
    load: () => import('./push.js').then((m) => m.registerPush) },
  { name: 'pull', term: 'pull [options]',
    summary: 'write drizzle pg-core TypeScript from the live database (overwrites only its own earlier output)',
    load: () => import('./pull.js').then((m) => m.registerPull) },
  { name: 'drop', term: 'drop [options]',
    summary: "drop every object in the managed schemas and Strata's history (development reset)",
    load: () => import('./drop.js').then((m) => m.registerDrop) },
  { name: 'studio', term: 'studio [options]',
    summary: 'open a local web page on the database: tables, schema diagram, migrations, SQL console',
    load: () => import('./studio.js').then((m) => m.registerStudio) },
  { name: 'doctor', term: 'doctor',
    summary: 'show which database is used, its server version, and whether it is reachable',
    load: () => import('./doctor.js').then((m) => m.registerDoctor) },
  { name: 'backup', term: 'backup [options]',
    summary: 'write a whole-database backup (schema, rows, sequences, migration history) that restores into a server or PGlite',
    load: () => import('./backup.js').then((m) => m.registerBackup) },
  { name: 'restore', term: 'restore [options] <file>',
    summary: 'restore a backup: checks the whole file, then restores it in one transaction',
    load: () => import('./restore.js').then((m) => m.registerRestore) },
  { name: 'snapshot', term: 'snapshot',
    summary: 'in-database copies of tables (schema strata_snapshot_<name>) to put rows back after a change',
    load: () => import('./snapshot.js').then((m) => m.registerSnapshot) },
  { name: 'data', term: 'data',
    summary: 'data migrations: scaffold, run (tracked, batched, resumable) and list them',
    load: () => import('./data.js').then((m) => m.registerData) },
  { name: 'lint', term: 'lint [options] [files...]',
    summary: 'check migration SQL for locks that stall writes, changes that break running code, and risky types',
    load: () => import('./lint.js').then((m) => m.registerLint) },

];
