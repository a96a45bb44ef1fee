import { describe, expect, it } from 'vitest';
import { median, renderFloor } from './generate-floor.js';

describe('generate floor page', () => {
  it('median takes the middle run, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("reports each side's median as a share of drizzle-kit's, and what half of drizzle-kit's time leaves beyond the floor", () => {
    const page = renderFloor({ floor: [400, 380, 420], strata: [800, 760, 900], 'drizzle-kit': [1300, 1400, 1200] }, 1000);
    expect(page).toContain('| floor: transform, run the schema, getTableConfig | 0.40 s | 0.38 s – 0.42 s | 0.31 |');
    expect(page).toContain('| `strata generate` | 0.80 s | 0.76 s – 0.90 s | 0.62 |');
    expect(page).toContain("Strata's own work (its median minus the floor's): 0.40 s, 0.31 of drizzle-kit's time.");
    expect(page).toContain('Half of drizzle-kit\'s time is 0.65 s: it leaves 0.25 s (0.19 of drizzle-kit\'s time)');
  });
});
