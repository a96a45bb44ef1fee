import { StrataError } from '@strata/core';
import { candidateLabel, type RenameCandidate, type RenamePair, type RenameRequest, type RenameResolver } from '@strata/diff';

/**
 * Asks on the terminal, for each removed object that has added objects of the same kind beside it,
 * whether it was renamed to one of them or dropped. The first choice, and the one Enter takes, is
 * "not a rename" (drop and create): a rename is only ever chosen on purpose, and `push` still asks
 * before it loses data (that question defaults to No).
 *
 * @example
 * const diff = await diffSnapshots(prev, next, { resolver: promptRenameResolver() });
 */
export function promptRenameResolver(): RenameResolver {
  return {
    async resolve(request: RenameRequest): Promise<RenamePair[]> {
      const { select, isCancel } = await import('@clack/prompts');
      const added = [...request.added];
      const pairs: RenamePair[] = [];
      for (const from of request.removed) {
        const fits = added.filter((a) => a.materialized === from.materialized);
        if (fits.length === 0) continue;
        const answer = await select<RenameCandidate | 'drop'>({
          message: `${candidateLabel(from)} is gone from the schema code. Was it renamed?`,
          options: [
            { value: 'drop' as const, label: `no: drop it and create the new one${request.kind === 'column' || request.kind === 'table' ? ' (its data is lost)' : ''}` },
            ...fits.map((to) => ({ value: to, label: `renamed to ${candidateLabel(to)}` })),
          ],
          initialValue: 'drop' as const,
        });
        if (isCancel(answer)) throw new StrataError('INPUT_REQUIRED', 'generate cancelled at the rename question', { hint: 'Run it again, or pass --rename from=to.' });
        if (answer === 'drop') continue;
        pairs.push({ from, to: answer });
        added.splice(added.indexOf(answer), 1);
      }
      return pairs;
    },
  };
}
