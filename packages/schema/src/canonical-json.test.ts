import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json.js';

/** The definition canonicalJson must match byte for byte: JSON.stringify of a key-sorted copy. */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

describe('canonicalJson', () => {
  it('round-trips any JSON value', () => {
    // Compared with what JSON itself keeps of the value (-0 is written 0 by JSON.stringify too).
    fc.assert(fc.property(fc.jsonValue(), (v) => { expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v))); }), { numRuns: 500 });
  });

  it('is JSON.stringify with sorted keys and two-space indentation', () => {
    // (JavaScript itself puts integer-like keys first, so the reference holds without them.)
    const noIndexKeys = (v: unknown): boolean =>
      Array.isArray(v) ? v.every(noIndexKeys) : v !== null && typeof v === 'object' ? Object.entries(v).every(([k, x]) => !/^(0|[1-9]\d*)$/.test(k) && noIndexKeys(x)) : true;
    fc.assert(fc.property(fc.jsonValue().filter(noIndexKeys), (v) => { expect(canonicalJson(v)).toBe(reference(v)); }), { numRuns: 500 });
  });

  it('sorts every key as a string, integer-like ones included, whatever the insertion order', () => {
    expect(canonicalJson({ b: 1, 10: 2, a: 3, 2: 4 })).toBe('{\n  "10": 2,\n  "2": 4,\n  "a": 3,\n  "b": 1\n}\n');
    expect(canonicalJson({ a: 3, 2: 4, b: 1, 10: 2 })).toBe(canonicalJson({ b: 1, 10: 2, a: 3, 2: 4 }));
  });

  it('leaves undefined fields out, writes null for undefined array items, and keeps odd keys', () => {
    const v = { b: undefined, a: [undefined, 1, {}], ['__proto__']: { z: 1, y: [] }, 'é"x': -0 };
    const parsed = JSON.parse(canonicalJson(v));
    expect(Object.keys(parsed)).toEqual(['__proto__', 'a', 'é"x']);
    expect(parsed.a).toEqual([null, 1, {}]);
    expect(canonicalJson({ b: 1, a: [2, 1] })).toBe('{\n  "a": [\n    2,\n    1\n  ],\n  "b": 1\n}\n');
  });

  it('gives the same text for a value already in key order (written natively) as for the same value in any order', () => {
    // Shuffles every object's keys; the canonical text of both must be the reference.
    const shuffled = (v: unknown, flip: boolean): unknown => {
      if (Array.isArray(v)) return v.map((x, i) => shuffled(x, (i % 2 === 0) === flip));
      if (v !== null && typeof v === 'object') {
        const keys = Object.keys(v).sort();
        return Object.fromEntries((flip ? keys.reverse() : keys).map((k) => [k, shuffled((v as Record<string, unknown>)[k], !flip)]));
      }
      return v;
    };
    const noIndexKeys = (v: unknown): boolean =>
      Array.isArray(v) ? v.every(noIndexKeys) : v !== null && typeof v === 'object' ? Object.entries(v).every(([k, x]) => !/^(0|[1-9]\d*)$/.test(k) && noIndexKeys(x)) : true;
    fc.assert(fc.property(fc.jsonValue().filter(noIndexKeys), fc.boolean(), (v, flip) => {
      const expected = reference(v);
      expect(canonicalJson(shuffled(v, flip))).toBe(expected);
      expect(canonicalJson(JSON.parse(expected))).toBe(expected);
    }), { numRuns: 500 });
  });

  it('writes toJSON results, class instances, Dates and integer-like keys nested in ordered objects as before', () => {
    class Point { constructor(readonly y: number, readonly x: number) {} }
    const at = new Date(Date.UTC(2026, 11, 6));
    const v = { a: { p: new Point(2, 1), when: at }, b: [{ 10: 'x', 2: 'y', c: { z: 1, a: undefined } }, { toJSON: () => ({ k: 2, j: 1 }) }], c: { toJSON: () => undefined } };
    expect(JSON.parse(canonicalJson(v))).toEqual({ a: { p: { x: 1, y: 2 }, when: at.toISOString() }, b: [{ 10: 'x', 2: 'y', c: { z: 1 } }, { j: 1, k: 2 }] });
    expect(canonicalJson(v)).toBe(
      '{\n  "a": {\n    "p": {\n      "x": 1,\n      "y": 2\n    },\n    "when": "2026-12-06T00:00:00.000Z"\n  },\n' +
        '  "b": [\n    {\n      "10": "x",\n      "2": "y",\n      "c": {\n        "z": 1\n      }\n    },\n    {\n      "j": 1,\n      "k": 2\n    }\n  ]\n}\n',
    );
  });
});
