import { describe } from 'vitest';
import { describeBackends } from '@strata/testing';
import { runCases, useHarness } from './cases.js';
import { CASES as CONSTRAINTS } from './constraints-indexes.cases.js';
import { CASES as TABLES } from './tables-columns.cases.js';
import { CASES as TYPES } from './types-views-policies.cases.js';

/**
 * One round trip per kind of change (see roundTrip), each case in its own schema of one pair of
 * databases per backend.
 */
describeBackends('changes', (backend) => {
  const harness = useHarness(backend);
  describe('tables and columns', () => runCases(harness, 'tc', TABLES));
  describe('constraints and indexes', () => runCases(harness, 'ci', CONSTRAINTS));
  describe('types, views and policies', () => runCases(harness, 'tv', TYPES));
});
