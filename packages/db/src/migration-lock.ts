import { StrataError } from '@strata/core';

/** Strata's advisory lock key: the bytes of "STRATA" — fixed, so every Strata process agrees. */
export const DEFAULT_LOCK_KEY = 0x535452415441n;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function lockTimeoutError(waitMs: number): StrataError {
  return new StrataError('LOCK_TIMEOUT', `another Strata process held the migration lock for more than ${waitMs} ms`, {
    hint: 'Wait for the other migrate to finish, or raise lockWaitMs in the config.',
  });
}
