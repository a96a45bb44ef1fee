import { createRequire } from 'node:module';
import type * as DrizzleOrm from 'drizzle-orm';
import type * as Casing from 'drizzle-orm/casing';
import type * as PgCore from 'drizzle-orm/pg-core';

// drizzle-orm's CommonJS build, the copy jiti gives the schema code: when both resolve to the same
// install, Node loads drizzle once instead of twice (its ESM and CommonJS builds are separate
// module graphs, and loading one costs ~40 ms). Values from any copy work either way: `is()`
// compares entity kinds by name, not by identity.
const require = createRequire(import.meta.url);
const orm = require('drizzle-orm') as typeof DrizzleOrm;
const pgCore = require('drizzle-orm/pg-core') as typeof PgCore;
const casing = require('drizzle-orm/casing') as typeof Casing;

export const is: typeof DrizzleOrm.is = orm.is;
export const SQL: typeof DrizzleOrm.SQL = orm.SQL;
export const StringChunk: typeof DrizzleOrm.StringChunk = orm.StringChunk;
export const getTableName: typeof DrizzleOrm.getTableName = orm.getTableName;
export const PgArray: typeof PgCore.PgArray = pgCore.PgArray;
export const PgRole: typeof PgCore.PgRole = pgCore.PgRole;
export const isPgEnum: typeof PgCore.isPgEnum = pgCore.isPgEnum;
export const getTableConfig: typeof PgCore.getTableConfig = pgCore.getTableConfig;
export const getViewConfig: typeof PgCore.getViewConfig = pgCore.getViewConfig;
export const getMaterializedViewConfig: typeof PgCore.getMaterializedViewConfig = pgCore.getMaterializedViewConfig;
export const PgTable: typeof PgCore.PgTable = pgCore.PgTable;
export const PgView: typeof PgCore.PgView = pgCore.PgView;
export const PgMaterializedView: typeof PgCore.PgMaterializedView = pgCore.PgMaterializedView;
export const PgSequence: typeof PgCore.PgSequence = pgCore.PgSequence;
export const PgSchema: typeof PgCore.PgSchema = pgCore.PgSchema;
export const PgPolicy: typeof PgCore.PgPolicy = pgCore.PgPolicy;
// The classes above as types too, as `import { PgTable } from 'drizzle-orm/pg-core'` gives them.
export type PgTable = PgCore.PgTable;
export type PgView = PgCore.PgView;
export type PgMaterializedView = PgCore.PgMaterializedView;
export type PgSequence = PgCore.PgSequence;
export type PgSchema = PgCore.PgSchema;
export type PgPolicy = PgCore.PgPolicy;
export const toCamelCase: typeof Casing.toCamelCase = casing.toCamelCase;
export const toSnakeCase: typeof Casing.toSnakeCase = casing.toSnakeCase;
export const CasingCache: typeof Casing.CasingCache = casing.CasingCache;
