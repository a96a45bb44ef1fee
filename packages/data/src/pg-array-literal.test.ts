import { describe, expect, test } from 'vitest';
import { parseArrayLiteral } from './pg-array-literal.js';

describe('parseArrayLiteral', () => {
  test('plain, quoted, escaped, NULL and empty elements', () => {
    expect(parseArrayLiteral('{a,"x,\\"y\\\\",NULL,"NULL",""}')).toEqual(['a', 'x,"y\\', null, 'NULL', '']);
    expect(parseArrayLiteral('{}')).toEqual([]);
  });

  test('nested arrays and explicit bounds', () => {
    expect(parseArrayLiteral('{{1,2},{3,NULL}}')).toEqual([['1', '2'], ['3', null]]);
    expect(parseArrayLiteral('[0:1]={7,8}')).toEqual(['7', '8']);
  });
});
