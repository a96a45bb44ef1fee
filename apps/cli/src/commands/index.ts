import type { Command } from 'commander';
import { registerDoctor } from './doctor.js';
import { registerGenerate } from './generate.js';
import { registerPush } from './push.js';
import { registerCheck } from './check.js';
import { registerDrop } from './drop.js';
import { registerStudio } from './studio.js';
import { registerData } from './data.js';
import { registerMigrate } from './migrate.js';
import { registerStatus } from './status.js';
import { registerRollback } from './rollback.js';
import { registerBaseline } from './baseline.js';
import { registerHash } from './hash.js';
import { registerPull } from './pull.js';
import { registerBackup } from './backup.js';
import { registerRestore } from './restore.js';
import { registerSnapshot } from './snapshot.js';

/** Registers one command on the program and returns it. */
export type RegisterCommand = (program: Command, state: { exitCode: number }) => Command;

/** Every command of `strata`, one module each. */
export const COMMANDS: RegisterCommand[] = [
  registerGenerate,
  registerMigrate,
  registerStatus,
  registerRollback,
  registerBaseline,
  registerHash,
  registerCheck,
  registerPush,
  registerPull,
  registerDrop,
  registerStudio,
  registerDoctor,
  registerBackup,
  registerRestore,
  registerSnapshot,
  registerData,
];
