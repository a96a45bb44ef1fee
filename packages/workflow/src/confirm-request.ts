import type { DropItem } from './drop.js';
import type { PushResult } from './push.js';

/** A question a workflow asks before it loses data. */
export type ConfirmRequest =
  /** push would drop data; `plan` is what it would run. */
  | { kind: 'push-data-loss'; message: string; hint: string; plan: PushResult }
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
