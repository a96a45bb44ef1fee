// The Snapshot model lives in @strata/model (dependency-free, so the runner and the drivers load
// no schema loader); re-exported here by name (a bundled `export *` of an external package loses
// its static names) so every `@strata/schema` import keeps working.
export { SNAPSHOT_VERSION, emptySnapshot, emptySchema } from '@strata/model';
export type { Snapshot, SchemaDef, Enum, Sequence, IdentityOptions, Column, PrimaryKey, UniqueConstraint, CheckConstraint, ReferentialAction, ForeignKey, IndexElement, Index, Policy, Table, View } from '@strata/model';
