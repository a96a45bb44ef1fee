import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SNAPSHOT_VERSION, emptySchema, type Index, type IndexElement, type Snapshot } from './snapshot.js';
import { splitIndexElements } from './split-index-elements.js';

/** A snapshot holding one index whose elements are the given SQL texts (as serializeSchema leaves `sql` elements). */
function withIndex(...values: string[]): Snapshot {
  const index: Index = {
    name: 'e_idx', unique: false, method: 'btree', nullsNotDistinct: false,
    elements: values.map((value) => ({ value, expression: true, desc: false, nullsFirst: false })),
  };
  return {
    version: SNAPSHOT_VERSION, dialect: 'postgresql',
    schemas: { public: { ...emptySchema('public'), tables: { t: { schema: 'public', name: 't', columns: [], uniques: {}, checks: {}, foreignKeys: {}, indexes: { e_idx: index }, rlsEnabled: false, policies: {} } } } },
  };
}
const split = async (...values: string[]) => (await splitIndexElements(withIndex(...values))).schemas.public!.tables.t!.indexes.e_idx!.elements;

describe('splitIndexElements (issue 15, defects 5 and 7)', () => {
  it('separates a direction, an operator class and a collation from the expression', async () => {
    expect(await split('"at" DESC')).toEqual([{ value: 'at', expression: false, desc: true, nullsFirst: true }]);
    expect(await split('"email" gin_trgm_ops')).toEqual([{ value: 'email', expression: false, desc: false, nullsFirst: false, opclass: 'gin_trgm_ops' }]);
    expect(await split('"code" COLLATE "C"')).toEqual([{ value: 'code', expression: false, desc: false, nullsFirst: false, collation: 'C' }]);
    expect(await split('lower("email") collate pg_catalog."POSIX" public.text_pattern_ops asc nulls first')).toEqual([
      { value: 'lower("email")', expression: true, desc: false, nullsFirst: true, opclass: 'public.text_pattern_ops', collation: 'POSIX' },
    ]);
    expect(await split('("a" + "b") DESC NULLS LAST')).toEqual([{ value: '"a" + "b"', expression: true, desc: true, nullsFirst: false }]);
    // two elements in one sql chunk; a literal that looks like options stays in the expression
    expect(await split(`"org", ("x" || ' DESC') desc`)).toEqual([
      { value: 'org', expression: false, desc: false, nullsFirst: false },
      { value: `"x" || ' DESC'`, expression: true, desc: true, nullsFirst: true },
    ]);
    expect(await split('("t"."at")')).toEqual([{ value: 'at', expression: false, desc: false, nullsFirst: false }]);
    expect(await split('"we.ird" "my.ops"')).toEqual([{ value: 'we.ird', expression: false, desc: false, nullsFirst: false, opclass: '"my.ops"' }]);
  });

  it('refuses what is not an index element, naming the index', async () => {
    await expect(split('"a" DESC DESC')).rejects.toThrow(/index "e_idx" on public\.t: the element sql`"a" DESC DESC` is not an index element/);
    await expect(split('"a") WHERE ("b"')).rejects.toThrow(/reaches outside the element list/);
    await expect(split('"a" gin_trgm_ops(siglen = 32)')).rejects.toThrow(/operator class parameters/);
  });

  it('leaves a snapshot without SQL elements alone', async () => {
    const s = withIndex();
    s.schemas.public!.tables.t!.indexes.e_idx!.elements = [{ value: 'a', expression: false, desc: true, nullsFirst: false }];
    const before = structuredClone(s);
    expect(await splitIndexElements(s)).toEqual(before);
  });

  /** Random elements: a base (column or expression) and every combination of options, in random letter case. */
  const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_ ."]{0,8}$/);
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const element = fc.record({
    base: fc.oneof(
      ident.map((c) => ({ text: quote(c), column: c as string | undefined, value: '' })),
      ident.map((c) => ({ text: `lower(${quote(c)})`, column: undefined, value: `lower(${quote(c)})` })),
      fc.tuple(ident, fc.integer({ min: 0, max: 99 })).map(([c, n]) => ({ text: `(${quote(c)} + ${n})`, column: undefined, value: `${quote(c)} + ${n}` })),
      fc.tuple(ident, fc.constantFrom("' DESC'", "'a, b'", "')'")).map(([c, s]) => ({ text: `(${quote(c)} || ${s})`, column: undefined, value: `${quote(c)} || ${s}` })),
    ),
    collation: fc.option(fc.oneof(fc.constantFrom('C', 'POSIX', 'en-x-icu'), ident), { nil: undefined }),
    opclass: fc.option(fc.tuple(fc.option(fc.constantFrom('public', 'ext'), { nil: undefined }), fc.constantFrom('text_pattern_ops', 'gin_trgm_ops', 'jsonb_path_ops')), { nil: undefined }),
    order: fc.option(fc.tuple(fc.constantFrom('ASC', 'DESC'), fc.boolean()), { nil: undefined }),
    nulls: fc.option(fc.constantFrom('FIRST', 'LAST'), { nil: undefined }),
  });

  it('round-trips random elements: expression, collation, operator class, direction, nulls order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(element, { minLength: 1, maxLength: 3 }), fc.context(), async (elements, ctx) => {
        const texts: string[] = [];
        const expected: IndexElement[] = [];
        for (const e of elements) {
          let text = e.base.text;
          if (e.collation) text += ` COLLATE ${quote(e.collation)}`;
          if (e.opclass) text += ` ${e.opclass[0] ? `${e.opclass[0]}.` : ''}${e.opclass[1]}`;
          if (e.order) text += ` ${e.order[1] ? e.order[0].toLowerCase() : e.order[0]}`;
          if (e.nulls) text += ` NULLS ${e.nulls}`;
          texts.push(text);
          const desc = e.order?.[0] === 'DESC';
          const out: IndexElement = {
            value: e.base.column ?? e.base.value, expression: e.base.column === undefined, desc,
            nullsFirst: e.nulls ? e.nulls === 'FIRST' : desc,
          };
          if (e.opclass) out.opclass = `${e.opclass[0] ? `${e.opclass[0]}.` : ''}${e.opclass[1]}`;
          if (e.collation) out.collation = /[."]/.test(e.collation) ? quote(e.collation) : e.collation;
          expected.push(out);
        }
        ctx.log(texts.join(', '));
        // one sql chunk per element, and all of them in one chunk
        expect(await split(...texts)).toEqual(expected);
        expect(await split(texts.join(', '))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
