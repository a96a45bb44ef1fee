import { describe, expect, it } from 'vitest';
import { prepareTransform, preparedTransform, preparedTransforms, sourceTransformOptions } from './transform-cache.js';

describe('prepared transforms', () => {
  it('hands out a result only for the exact source it was made from, once it is done', async () => {
    let finish!: (r: { source: string; code: string }) => void;
    prepareTransform('/p/a.ts', new Promise((r) => (finish = r)));
    expect(preparedTransform('/p/a.ts', 'export const a = 1')).toBeUndefined(); // not done yet
    finish({ source: 'export const a = 1', code: 'exports.a = 1' });
    await preparedTransforms();
    expect(preparedTransform('/p/a.ts', 'export const a = 1')).toBe('exports.a = 1');
    expect(preparedTransform('/p/a.ts', 'export const a = 2')).toBeUndefined(); // the file changed since
    expect(preparedTransform('/p/b.ts', 'export const a = 1')).toBeUndefined();
  });

  it('ignores a transform that failed', async () => {
    prepareTransform('/p/bad.ts', Promise.reject(new Error('syntax error')));
    await preparedTransforms();
    expect(preparedTransform('/p/bad.ts', 'x')).toBeUndefined();
  });

  it('strips types for TypeScript files only', () => {
    expect(sourceTransformOptions('/p/a.mts').loader).toBe('ts');
    expect(sourceTransformOptions('/p/a.mjs').loader).toBe('js');
    expect(sourceTransformOptions('/p/a.js', true).loader).toBe('ts');
  });
});
