import { setFlagsFromString } from 'node:v8';

/**
 * Commands whose work grows with the rows (data migrations, backups, snapshots) or that serve for
 * long (the studio): V8's optimizing compiler pays back there, for the code that runs hot.
 */
const WALKS_ROWS = new Set(['data', 'backup', 'restore', 'snapshot', 'studio']);

/**
 * Chooses how V8 compiles this process's WebAssembly (PGlite, the SQL parser) for `command`:
 * the baseline compiler only (Liftoff) for commands whose work grows with the schema, a tier-up
 * budget 28× V8's default for those that walk rows.
 *
 * Why: opening PGlite runs enough of PostgreSQL's startup for V8 to tier hundreds of functions
 * up to TurboFan in background threads, code a short command never uses. Measured on a quiet
 * 2-core machine: `strata check` on a small embedded database, 1.97 s of CPU and 1.37 s of wall
 * time by default, 0.90 s and 0.90 s on Liftoff only; `strata backup` of it, 2.42 s and 1.75 s by
 * default, 1.27 s and 1.05 s with the larger budget. Inserting and updating 300,000 rows is ~35%
 * slower on Liftoff only, and as fast as by default with the larger budget, which is why the
 * row-walking commands get the budget rather than Liftoff. Must run before any WebAssembly module
 * is compiled; the library never sets flags (the host application's are its own).
 *
 * @example
 * chooseWasmTier(commandOf(process.argv));
 */
export function chooseWasmTier(command: string | undefined): void {
  setFlagsFromString(command !== undefined && WALKS_ROWS.has(command) ? '--wasm-tiering-budget=50000000' : '--liftoff-only');
}
