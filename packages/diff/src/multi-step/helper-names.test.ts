import { describe, expect, it } from 'vitest';
import { helperName } from './helper-names.js';

describe('helperName', () => {
  it('is the plain name when it fits 63 bytes', () => {
    expect(helperName('strata_fit_', ['public', 'items', 'code'], 1)).toBe('strata_fit_items_code');
  });

  it('cuts a long name to 63 bytes and tags it with its whole owner, so owners sharing a long prefix differ', () => {
    const table = 'customer_subscription_billing_history_entries_archived';
    const a = helperName('strata_fit_', ['public', table, 'qty'], 1);
    const b = helperName('strata_fit_', ['public', table, 'code'], 1);
    const c = helperName('strata_fit_', ['sales', table, 'qty'], 1);
    for (const n of [a, b, c]) expect(Buffer.byteLength(n)).toBe(63);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(a).toMatch(/^strata_fit_customer_subscription_billing_history_entri_[0-9a-f]{8}$/);
    expect(helperName('strata_fit_', ['public', table, 'qty'], 1)).toBe(a);
  });

  it('never cuts inside a character', () => {
    const n = helperName('strata_sync_', ['public', 'é'.repeat(40)], 1);
    expect(Buffer.byteLength(n)).toBeLessThanOrEqual(63);
    expect(n).not.toContain('\uFFFD');
  });
});
