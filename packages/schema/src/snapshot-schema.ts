import type * as V from 'valibot';
import { valibot } from './commonjs-deps.js';
import { SNAPSHOT_VERSION, type Snapshot } from './snapshot.js';

// The valibot description of `snapshot.ts`, field for field. The type assertion at the end keeps
// the two in step: a field added to one and not the other fails to compile. Built on first use:
// a command that reads no snapshot (generate into an empty folder, --version) never loads valibot.

function build(v: typeof V) {
  const name = v.pipe(v.string('expected a name (string)'), v.minLength(1, 'expected a non-empty name'), v.maxBytes(63, 'longer than 63 bytes: PostgreSQL stores at most 63'));
  const text = v.string('expected string');
  const nonEmpty = v.pipe(text, v.minLength(1, 'expected a non-empty string'));
  const bool = v.boolean('expected boolean');
  const integerText = v.pipe(text, v.regex(/^-?\d+$/, 'expected an integer written as a decimal string'));
  const nameList = v.pipe(v.array(name, 'expected an array of names'), v.minLength(1, 'expected at least one name'));
  const obj = <T extends V.ObjectEntries>(entries: T) => v.strictObject(entries, 'expected object');
  const record = <T extends V.GenericSchema>(item: T) => v.record(text, item, 'expected an object');

  const referentialAction = v.picklist(['no action', 'restrict', 'cascade', 'set null', 'set default'], 'expected no action, restrict, cascade, set null or set default');

  const sequenceFields = {
    increment: integerText,
    minValue: integerText,
    maxValue: integerText,
    start: integerText,
    cache: integerText,
    cycle: bool,
  };

  const column = obj({
    name,
    type: nonEmpty,
    typeSchema: v.optional(name),
    dimensions: v.pipe(v.number('expected number'), v.integer('expected an integer'), v.minValue(0, 'expected 0 or more')),
    notNull: bool,
    default: v.optional(nonEmpty),
    generated: v.optional(obj({ expression: nonEmpty, virtual: v.optional(v.literal(true, 'expected true')) })),
    identity: v.optional(obj({ type: v.picklist(['always', 'byDefault'], 'expected always or byDefault'), sequenceName: name, ...sequenceFields })),
    collation: v.optional(name),
  });

  const indexElement = obj({
    value: nonEmpty,
    expression: bool,
    desc: bool,
    nullsFirst: bool,
    opclass: v.optional(nonEmpty),
    collation: v.optional(name),
  });

  const table = obj({
    schema: name,
    name,
    columns: v.array(column, 'expected an array of columns'),
    primaryKey: v.optional(obj({ name, columns: nameList })),
    uniques: record(obj({ name, columns: nameList, nullsNotDistinct: bool })),
    checks: record(obj({ name, expression: nonEmpty })),
    foreignKeys: record(
      obj({
        name,
        columns: nameList,
        foreignSchema: name,
        foreignTable: name,
        foreignColumns: nameList,
        onDelete: referentialAction,
        onUpdate: referentialAction,
      }),
    ),
    indexes: record(
      obj({
        name,
        unique: bool,
        method: nonEmpty,
        elements: v.pipe(v.array(indexElement, 'expected an array of index elements'), v.minLength(1, 'expected at least one element')),
        where: v.optional(nonEmpty),
        with: v.optional(record(text)),
        nullsNotDistinct: bool,
        concurrently: v.optional(bool),
      }),
    ),
    rlsEnabled: bool,
    policies: record(
      obj({
        name,
        as: v.picklist(['permissive', 'restrictive'], 'expected permissive or restrictive'),
        for: v.picklist(['all', 'select', 'insert', 'update', 'delete'], 'expected all, select, insert, update or delete'),
        to: nameList,
        using: v.optional(nonEmpty),
        withCheck: v.optional(nonEmpty),
      }),
    ),
  });

  const schemaDef = obj({
    name,
    tables: record(table),
    enums: record(obj({ schema: name, name, values: v.array(text, 'expected an array of strings') })),
    sequences: record(
      obj({
        schema: name,
        name,
        dataType: v.picklist(['smallint', 'integer', 'bigint'], 'expected smallint, integer or bigint'),
        ...sequenceFields,
      }),
    ),
    views: record(
      obj({
        schema: name,
        name,
        materialized: bool,
        definition: nonEmpty,
        with: v.optional(record(text)),
        withNoData: v.optional(bool),
        using: v.optional(name),
        tablespace: v.optional(name),
      }),
    ),
  });
  return obj({
    version: v.literal(SNAPSHOT_VERSION, `expected ${SNAPSHOT_VERSION}`),
    dialect: v.literal('postgresql', 'expected "postgresql"'),
    schemas: record(schemaDef),
  });
}

let built: ReturnType<typeof build> | undefined;

/**
 * The shape of a current-version Snapshot, for valibot (built on the first call).
 *
 * @example
 * v.safeParse(snapshotSchema(), json).success
 */
export const snapshotSchema = (): ReturnType<typeof build> => (built ??= build(valibot()));

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inStep: Exact<V.InferOutput<ReturnType<typeof build>>, Snapshot> = true;
void inStep;
