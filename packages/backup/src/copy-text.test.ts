import { describe, expect, it } from 'vitest';
import { decodeCopyRows } from './copy-text.js';

describe('decodeCopyRows', () => {
  it('splits fields and rows, and reads NULL and escapes', () => {
    const text = '1\tann\\tlee\t\\N\n2\tline\\nbreak\\\\ ✓\t\\\\N\n3\t\t\\101\\x42\\q\n';
    expect(decodeCopyRows(Buffer.from(text))).toEqual([
      ['1', 'ann\tlee', null],
      ['2', 'line\nbreak\\ ✓', '\\N'],
      ['3', '', 'ABq'],
    ]);
  });

  it('reads a row of one empty field and multi-byte characters given as octal bytes', () => {
    expect(decodeCopyRows(Buffer.from('\n\\303\\274\n'))).toEqual([[''], ['ü']]);
  });
});
