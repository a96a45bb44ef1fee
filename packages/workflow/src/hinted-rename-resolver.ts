import { hintResolver, type RenameResolver } from '@strata/diff';

/**
 * The rename resolver generate and push use: `from=to` hints (`--rename`) answer first; what they
 * leave open goes to `ask`: a resolver (e.g. a terminal prompt), `'drop-and-create'` (the answer
 * `--no-renames` gives: every open question is "not a rename"), or, without one, an
 * INPUT_REQUIRED error listing the hints that would answer it — never a guess.
 *
 * @example
 * const resolver = hintedRenameResolver(['users.name=users.full_name']);
 * const resolver2 = hintedRenameResolver([], promptRenameResolver());
 * const resolver3 = hintedRenameResolver(['users.name=users.full_name'], 'drop-and-create');
 */
export function hintedRenameResolver(hints: readonly string[], ask?: RenameResolver | 'drop-and-create'): RenameResolver {
  const strict = hintResolver(hints, { unanswered: ask ? 'drop-and-create' : 'error' });
  if (!ask || ask === 'drop-and-create') return strict;
  return {
    async resolve(request) {
      const answered = await strict.resolve(request);
      const removed = request.removed.filter((r) => !answered.some((p) => p.from === r));
      const added = request.added.filter((a) => !answered.some((p) => p.to === a));
      if (removed.length === 0 || added.length === 0) return answered;
      return [...answered, ...(await ask.resolve({ ...request, removed, added }))];
    },
    finish: () => strict.finish?.(),
  };
}
