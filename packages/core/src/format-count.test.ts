import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCount } from './format-count.js';

describe('formatCount', () => {
  it('writes what toLocaleString("en-US") writes for any whole number', () => {
    fc.assert(fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    }), { numRuns: 1000 });
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(-1234567)).toBe('-1,234,567');
  });

  it('rounds a fraction as the progress lines did (Math.round, then commas)', () => {
    expect(formatCount(1234.5)).toBe('1,235');
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});
