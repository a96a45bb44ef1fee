export { defineConfig, loadConfig, findConfigFile, type StrataConfig, type ResolvedConfig } from './config.js';
export { createContext, type CommandContext, type GlobalOptions } from './context.js';
export { createOutput, type Output } from './output.js';
export { main, buildProgram } from './program.js';
export { doctor, type DoctorReport } from './commands/doctor.js';
