import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutToBytes, nameTag, taggedObjectName } from './identifiers.js';

describe('taggedObjectName', () => {
  it('is <name>_<label> when that fits 63 bytes', () => {
    expect(taggedObjectName('users_email_idx', 'strata_new')).toBe('users_email_idx_strata_new');
  });

  it('cuts a long name, tags it with a hash of the whole of it and keeps the label, in 63 bytes', () => {
    const p = 'quantity_reported_by_the_customer_in_original_order';
    const a = taggedObjectName(`${p}_qty`, 'strata_new');
    const b = taggedObjectName(`${p}_code`, 'strata_new');
    expect(a).not.toBe(b);
    for (const n of [a, b]) {
      expect(Buffer.byteLength(n)).toBeLessThanOrEqual(63);
      expect(n).toMatch(/^quantity_reported_by_the_customer_in_o[a-z_]*_[0-9a-f]{8}_strata_new$/);
    }
    expect(a).toContain(`_${nameTag(`${p}_qty`)}_strata_new`);
    expect(Buffer.byteLength(taggedObjectName('é'.repeat(40), 'strata_old'))).toBeLessThanOrEqual(63);
    expect(taggedObjectName('é'.repeat(40), 'strata_old')).not.toContain('\uFFFD');
  });
});

describe('cutToBytes', () => {
  it('keeps the longest prefix of whole characters that fits the bytes, for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.integer({ min: 0, max: 100 }), (text, bytes) => {
      const cut = cutToBytes(text, bytes);
      const chars = [...text];
      const kept = [...cut];
      expect(text.startsWith(cut)).toBe(true);
      expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(bytes);
      // Maximal: the next whole character would not fit.
      if (kept.length < chars.length) expect(Buffer.byteLength(cut + chars[kept.length], 'utf8')).toBeGreaterThan(bytes);
    }), { numRuns: 1000 });
  });

  it('cuts names PostgreSQL would cut, on a character boundary', () => {
    expect(cutToBytes('a'.repeat(70), 63)).toBe('a'.repeat(63));
    expect(cutToBytes(`${'a'.repeat(62)}é`, 63)).toBe('a'.repeat(62));
    expect(cutToBytes('users', 63)).toBe('users');
  });
});
