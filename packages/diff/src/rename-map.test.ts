import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { refKey } from './rename-map.js';

describe('refKey', () => {
  test('two names get one key exactly when their schemas and names are equal (dots, colons and digits in names included)', () => {
    const part = fc.string({ unit: fc.constantFrom('a', '.', ':', '1', '"', 'é'), maxLength: 6 });
    fc.assert(fc.property(part, part, part, part, (s1, n1, s2, n2) => {
      expect(refKey(s1, n1) === refKey(s2, n2)).toBe(s1 === s2 && n1 === n2);
    }), { numRuns: 5000 });
  });
});
