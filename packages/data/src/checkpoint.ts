/** Where one batch walk stands. */
export interface WalkCheckpoint {
  /** The key of the last committed row (one value per key column), or null before the first batch. */
  last: unknown[] | null;
  batches: number;
  rows: number;
  changed: number;
  done: boolean;
}

/**
 * What a data migration has committed so far: one entry per batch walk and per step. It is
 * written in the same transaction as the work it describes, so it never runs ahead or behind.
 */
export interface Checkpoint {
  walks: Record<string, WalkCheckpoint>;
  steps: Record<string, true>;
}

export function emptyCheckpoint(): Checkpoint {
  return { walks: {}, steps: {} };
}

/** Reads a checkpoint from the history table, tolerating an empty or older shape. */
export function parseCheckpoint(value: unknown): Checkpoint {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Partial<Checkpoint>;
  return {
    walks: typeof v.walks === 'object' && v.walks !== null ? { ...v.walks } : {},
    steps: typeof v.steps === 'object' && v.steps !== null ? { ...v.steps } : {},
  };
}

export function emptyWalk(): WalkCheckpoint {
  return { last: null, batches: 0, rows: 0, changed: 0, done: false };
}
