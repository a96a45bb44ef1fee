export type {
  Row, QueryOptions, QueryResult, Queryable, Session, Capabilities, BackendKind, ServerInfo, MigrationLockOptions, MigrationLock, DatabaseClient, CopyStreams,
} from './client.js';
export { openDatabase, type OpenOptions } from './open-database.js';
export { createPgClient, connectionError, type PgClientOptions } from './pg-client.js';
export { createPgliteClient, type PgliteClientOptions } from './pglite-client.js';
export { bundledExtensionsCreatedBy, isBundledPgliteExtension, PGLITE_BUNDLED_EXTENSIONS } from './pglite-extensions.js';
export { embeddedHandle, type EmbeddedHandle } from './embedded-handle.js';
export { parseDatabaseUrl, resolveDatabaseUrl, describeTarget, type DatabaseTarget, type ResolvedUrl, type UrlSource } from './url.js';
export { useEmbeddedDefault, unattendedReason, type DatabaseAccess, type EmbeddedDefaultInput, type EmbeddedDefaultUse } from './embedded-default.js';
export { acquireDirLock, readDirLock, lockPathFor, servedUrl, type DirLock, type DirLockInfo } from './dir-lock.js';
export { QueryError, isPgError, toQueryError, type PgErrorFields } from './query-error.js';
export { DEFAULT_LOCK_KEY } from './migration-lock.js';
export { OID, VALUE_PARSERS, parserFor } from './value-parsers.js';
export { introspect, DEFAULT_EXCLUDED_SCHEMAS, type IntrospectOptions } from './introspect/introspect.js';
export { tablesFilter } from './introspect/tables-filter.js';
export { recognizeAbsorbedUniques } from './introspect/absorbed-uniques.js';
export { batchText, execBatch, tryBatch } from './exec-batch.js';
export { extensionSchemasSql } from './extension-schemas.js';
export { normalizeSnapshot, type NormalizeOptions } from './normalize/normalize-snapshot.js';
export { settleAgainst, sameDefault, sameJson, type Settlement, type OpenObjects } from './normalize/settle.js';
export { withCodeText } from './normalize/code-text.js';
export { rebuildableSnapshot } from './normalize/rebuildable-snapshot.js';
export { poolDatabaseClient, type PoolClientOptions } from './pg-client.js';
export { pgliteDatabaseClient, type PgliteInstanceOptions } from './pglite-client.js';
export { databaseClientFor, type DriverHandle } from './from-driver.js';
