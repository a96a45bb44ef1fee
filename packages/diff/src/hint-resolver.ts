import { StrataError } from '@strata/core';
import { parseRenameHint, renameFlag, formatRenamePath, type RenameHint } from './rename-hint.js';
import { candidateLabel, type RenameCandidate, type RenamePair, type RenameRequest, type RenameResolver } from './rename-resolver.js';

export interface HintResolverOptions {
  /**
   * A scope left with removed and added objects that no hint pairs: `'drop-and-create'` (default)
   * treats them as unrelated; `'error'` throws StrataError('INPUT_REQUIRED') listing the candidates
   * and the exact flags that would answer (for a run without a terminal that must not guess).
   */
  unanswered?: 'drop-and-create' | 'error';
}

/** How many trailing names of a path a hint may give for each kind (1 = just the name). */
const PARTS: Record<RenameRequest['kind'], { min: number; max: number }> = {
  schema: { min: 1, max: 1 },
  table: { min: 1, max: 2 },
  enum: { min: 1, max: 2 },
  view: { min: 1, max: 2 },
  column: { min: 2, max: 3 },
};

const endsWith = (path: readonly string[], suffix: readonly string[]) =>
  suffix.length <= path.length && suffix.every((p, i) => path[path.length - suffix.length + i] === p);

const sharesPrefix = (a: RenameCandidate, b: RenameCandidate) => a.path.slice(0, -1).every((p, i) => b.path[i] === p);

/**
 * Answers rename questions from `--rename from=to` hints (format: see `parseRenameHint`). A hint
 * matches when its names are the last names of an object's fully qualified path, so
 * `users.name=users.full_name` is a column of a `users` table in any schema and `products=catalog_items`
 * a table (or enum, view, schema) of that name. Throws StrataError('RENAME_AMBIGUOUS') when a hint fits
 * more than one removed object (or more than one added one), naming each candidate with the exact
 * flag to pass; `finish()` throws StrataError('USAGE') for a hint that matched nothing.
 *
 * @example
 * const resolver = hintResolver(['users.name=users.full_name', 'products=catalog_items']);
 * const diff = await diffSnapshots(prev, next, { resolver });
 */
export function hintResolver(hints: readonly string[], options: HintResolverOptions = {}): RenameResolver {
  const parsed: RenameHint[] = hints.map(parseRenameHint);
  rejectDuplicates(hints, parsed);
  const used = new Set<RenameHint>();
  return {
    resolve(request: RenameRequest): RenamePair[] {
      const removed = [...request.removed];
      const added = [...request.added];
      const pairs: RenamePair[] = [];
      const limits = PARTS[request.kind];
      for (const hint of parsed) {
        if (used.has(hint) || hint.from.length < limits.min || hint.from.length > limits.max) continue;
        const fromFits = removed.filter((c) => endsWith(c.path, hint.from));
        if (fromFits.length === 0) continue;
        const toFitsFor = (from: RenameCandidate) => {
          const fits = added.filter((c) => endsWith(c.path, hint.to) && c.materialized === from.materialized);
          // `auth.users=people` means auth.people when both auth.people and public.people were added.
          const near = fits.filter((c) => sharesPrefix(from, c));
          return fits.length > 1 && near.length === 1 ? near : fits;
        };
        if (fromFits.length > 1) {
          throw new StrataError('RENAME_AMBIGUOUS', `--rename ${hint.text}: "${formatRenamePath(hint.from)}" fits ${fromFits.length} removed objects`, {
            details: fromFits.flatMap((f) => {
              const tos = toFitsFor(f);
              return tos.length ? tos.map((t) => `${candidateLabel(f)} → ${candidateLabel(t)}: ${renameFlag(f.path, t.path)}`) : [`${candidateLabel(f)}`];
            }),
            hint: 'Pass the fully qualified form of the rename you mean (one of the flags above).',
          });
        }
        const from = fromFits[0]!;
        const toFits = toFitsFor(from);
        if (toFits.length === 0) {
          throw new StrataError('USAGE', `--rename ${hint.text}: ${candidateLabel(from)} was removed, but no added ${request.kind} is called "${formatRenamePath(hint.to)}"`, {
            details: added.length ? [`added ${request.kind}s: ${added.map((a) => formatRenamePath(a.path)).join(', ')}`] : [],
            hint: 'Name the new object as the schema code does (see the added objects above).',
          });
        }
        if (toFits.length > 1) {
          throw new StrataError('RENAME_AMBIGUOUS', `--rename ${hint.text}: "${formatRenamePath(hint.to)}" fits ${toFits.length} added objects`, {
            details: toFits.map((t) => `${candidateLabel(from)} → ${candidateLabel(t)}: ${renameFlag(from.path, t.path)}`),
            hint: 'Pass the fully qualified form of the rename you mean (one of the flags above).',
          });
        }
        const to = toFits[0]!;
        pairs.push({ from, to });
        used.add(hint);
        removed.splice(removed.indexOf(from), 1);
        added.splice(added.indexOf(to), 1);
      }
      if (options.unanswered === 'error' && removed.length > 0 && added.length > 0) {
        const scope = request.table ? ` of table ${formatRenamePath(request.table)}` : '';
        const possible = removed.flatMap((f) => added.filter((t) => t.materialized === f.materialized).map((t) => ({ f, t })));
        throw new StrataError(
          'INPUT_REQUIRED',
          `Renamed or replaced? ${request.kind}s${scope}: removed ${removed.map((r) => formatRenamePath(r.path)).join(', ')}; added ${added.map((a) => formatRenamePath(a.path)).join(', ')}`,
          {
            details: possible.slice(0, 20).map(({ f, t }) => `${candidateLabel(f)} → ${candidateLabel(t)}: ${renameFlag(f.path, t.path)}`),
            hint: 'Answer each rename with --rename from=to (flags above), or pass --no-renames to drop and create every object no --rename names.',
          },
        );
      }
      return pairs;
    },
    finish() {
      const unused = parsed.filter((h) => !used.has(h));
      if (unused.length === 0) return;
      throw new StrataError('USAGE', `--rename ${unused.map((h) => h.text).join(', ')}: matched no removed object that has a new name`, {
        details: unused.map((h) => `"${formatRenamePath(h.from)}" is not a table, column, enum, view or schema that this change removes, or "${formatRenamePath(h.to)}" is not one it adds`),
        hint: 'Check the spelling against the schema code; a column is written table.column (or schema.table.column).',
      });
    },
  };
}

/** The same `--rename` twice, or one object renamed two ways: a usage error, said as such. */
function rejectDuplicates(texts: readonly string[], parsed: readonly RenameHint[]): void {
  const seen = new Map<string, number>();
  parsed.forEach((h, i) => {
    const from = formatRenamePath(h.from);
    const before = seen.get(from);
    if (before === undefined) {
      seen.set(from, i);
      return;
    }
    const same = texts[before] === texts[i];
    throw new StrataError('USAGE', same ? `--rename ${texts[i]} is given twice` : `--rename gives "${from}" two new names: ${texts[before]} and ${texts[i]}`, {
      hint: same ? 'Give each rename once.' : 'Keep the one you mean.',
    });
  });
}
