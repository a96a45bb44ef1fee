import type { Command } from 'commander';

/** Registers one command on the program and returns it. */
export type RegisterCommand = (program: Command, state: { exitCode: number }) => Command;

/**
 * Every command of `strata`, one module each, in help order. Each is imported only when needed:
 * a command loads its own packages (the studio's server, the backup format, …) and nothing else,
 * which is most of a short command's start-up time.
 */
export const COMMANDS: readonly { name: string; load: () => Promise<RegisterCommand> }[] = [
  { name: 'init', load: () => import('./init.js').then((m) => m.registerInit) },
  { name: 'generate', load: () => import('./generate.js').then((m) => m.registerGenerate) },
  { name: 'migrate', load: () => import('./migrate.js').then((m) => m.registerMigrate) },
  { name: 'status', load: () => import('./status.js').then((m) => m.registerStatus) },
  { name: 'rollback', load: () => import('./rollback.js').then((m) => m.registerRollback) },
  { name: 'baseline', load: () => import('./baseline.js').then((m) => m.registerBaseline) },
  { name: 'hash', load: () => import('./hash.js').then((m) => m.registerHash) },
  { name: 'check', load: () => import('./check.js').then((m) => m.registerCheck) },
  { name: 'push', load: () => import('./push.js').then((m) => m.registerPush) },
  { name: 'pull', load: () => import('./pull.js').then((m) => m.registerPull) },
  { name: 'drop', load: () => import('./drop.js').then((m) => m.registerDrop) },
  { name: 'studio', load: () => import('./studio.js').then((m) => m.registerStudio) },
  { name: 'doctor', load: () => import('./doctor.js').then((m) => m.registerDoctor) },
  { name: 'backup', load: () => import('./backup.js').then((m) => m.registerBackup) },
  { name: 'restore', load: () => import('./restore.js').then((m) => m.registerRestore) },
  { name: 'snapshot', load: () => import('./snapshot.js').then((m) => m.registerSnapshot) },
  { name: 'data', load: () => import('./data.js').then((m) => m.registerData) },
  { name: 'lint', load: () => import('./lint.js').then((m) => m.registerLint) },
];
