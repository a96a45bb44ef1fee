export { startPgServer, findPgBinDir, freePort, type PgServer } from './pg-server.js';
export { ensurePgliteTemplate, copyPgliteTemplate } from './pglite-template.js';
export { createTestDatabase, describeBackends, BACKENDS, type TestDatabase } from './backends.js';
export { runCli, cliBinPath, type CliResult } from './run-cli.js';
export { runCliOnTerminal, type TerminalStep, type TerminalResult } from './run-cli-terminal.js';
export { catalogFingerprint, type CatalogFingerprint, type FingerprintTable } from './catalog-fingerprint.js';
export { createReadOnlyLogin, type ReadOnlyLogin } from './read-only-login.js';
