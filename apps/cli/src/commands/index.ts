import type { Command } from 'commander';
import { registerDoctor } from './doctor.js';

/** Registers one command on the program and returns it. */
export type RegisterCommand = (program: Command, state: { exitCode: number }) => Command;

/** Every command of `strata`, one module each. */
export const COMMANDS: RegisterCommand[] = [
  registerDoctor,
];
