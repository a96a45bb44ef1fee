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
});
