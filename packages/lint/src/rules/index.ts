import type { Rule } from '../rule-context.js';
import { breakingRules } from './breaking-rules.js';
import { columnRules } from './column-rules.js';
import { constraintRules, domainRules } from './constraint-rules.js';
import { createIndexRules, dropIndexRules, refreshRules, reindexRules } from './index-rules.js';
import { backfillRules, tableLockRules, transactionRules } from './statement-rules.js';
import { typeRules } from './type-rules.js';

/** Every rule, run on every statement in this order. */
export const ALL_RULES: readonly Rule[] = [
  createIndexRules, dropIndexRules, reindexRules, refreshRules,
  constraintRules, domainRules, columnRules, breakingRules,
  tableLockRules, backfillRules, transactionRules, typeRules,
];
