/**
 * @strata/model: the Snapshot (Strata's one model of a PostgreSQL schema), its canonical JSON and
 * safe name-keyed records. No dependencies and no I/O, so the runner and the drivers (and an app's
 * start-up `migrate()`) use it without loading the schema loader or codegen.
 */
export * from './snapshot.js';
export { canonicalJson } from './canonical-json.js';
export { canonicalCollation, collationName } from './collation-name.js';
export { getEntry, setEntry } from './records.js';
export { featuresBeyondServer, assertServerCanExpress, SERVER_FEATURES, type ServerFeatureUse } from './server-support.js';
