export { startPgServer, findPgBinDir, freePort, type PgServer } from './pg-server.js';
export { startEmbeddedPgServer, installEmbeddedPg, EMBEDDED_PG_VERSIONS, EMBEDDED_PG_MAJORS, type EmbeddedPgMajor } from './embedded-pg-server.js';
export { ensurePgliteTemplate, copyPgliteTemplate } from './pglite-template.js';
export { createTestDatabase, describeBackends, BACKENDS, type TestDatabase } from './backends.js';
export { runCli, cliBinPath, type CliResult } from './run-cli.js';
export { runCliOnTerminal, type TerminalStep, type TerminalResult } from './run-cli-terminal.js';
export { catalogFingerprint, type CatalogFingerprint, type FingerprintTable } from './catalog-fingerprint.js';
export { createReadOnlyLogin, type ReadOnlyLogin } from './read-only-login.js';
export { serverVersionNum, snapshotForServer } from './server-version.js';
