import type { DropItem } from './drop.js';
import type { Rewrite } from '@strata/diff';
import type { PushResult } from './push.js';

/** A question a workflow asks before it loses data or rewrites a table under an exclusive lock. */
export type ConfirmRequest =
  /** push would drop data (and maybe rewrite tables); `plan` is what it would run. */
  | { kind: 'push-data-loss'; message: string; hint: string; plan: PushResult }
  /** push would rewrite tables that exist, blocking writes for the whole rewrite; `plan` is what it would run. */
  | { kind: 'push-rewrite'; message: string; hint: string; plan: PushResult }
  /** generate would write a migration that rewrites tables that exist (no lock-safe recipe). */
  | { kind: 'generate-rewrite'; message: string; hint: string; rewrites: Rewrite[] }
  /** drop is about to remove `items`. */
  | { kind: 'drop'; message: string; hint: string; items: DropItem[] };

/**
 * Answers a confirm request: true goes on, false cancels (nothing is changed). `hint` says how to
 * skip the question (a flag), for a caller that cannot ask.
 *
 * @example
 * const confirm: Confirm = async (r) => (await askUser(r.message)) === 'yes';
 */
export type Confirm = (request: ConfirmRequest) => Promise<boolean>;
