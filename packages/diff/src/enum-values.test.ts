import { describe, expect, it } from 'vitest';
import { planEnumValues } from './enum-values.js';

describe('planEnumValues', () => {
  it.each([
    [['a', 'b'], ['a', 'b'], { kind: 'same' }],
    [['a', 'c'], ['a', 'b', 'c'], { kind: 'add', adds: [{ value: 'b', after: 'a' }] }],
    [['b'], ['a', 'b', 'c'], { kind: 'add', adds: [{ value: 'a', before: 'b' }, { value: 'c', after: 'b' }] }],
    [['b'], ['x', 'y', 'b'], { kind: 'add', adds: [{ value: 'x', before: 'b' }, { value: 'y', after: 'x' }] }],
    [[], ['a'], { kind: 'add', adds: [{ value: 'a' }] }],
    [['a', 'b'], ['b', 'a'], { kind: 'rebuild', removed: [] }],
    [['a', 'b', 'c'], ['a', 'c'], { kind: 'rebuild', removed: ['b'] }],
    [['a', 'b'], ['b', 'c', 'a'], { kind: 'rebuild', removed: [] }],
  ])('%j → %j', (from, to, plan) => {
    expect(planEnumValues(from, to)).toEqual(plan);
  });
});
