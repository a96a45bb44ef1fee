/** Exit codes of docs/cli.md: 0 success, 1 failure or problems found, 2 usage or missing input. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
