import { StrataError } from '@strata/core';
import type { FolderProblem, MigrationFolder } from './migration.js';

/**
 * One line per problem, naming the files, e.g. for `status` output.
 *
 * @example
 * folder.problems.map(describeProblem)
 */
export function describeProblem(p: FolderProblem): string {
  switch (p.kind) {
    case 'branch-conflict':
      return `${p.migrations.join(' and ')} were both generated on top of ${p.parent ?? 'an empty folder'} (two branches merged)`;
    case 'integrity': {
      const head = p.sumFile === 'missing' ? ['meta/strata.sum is missing'] : p.sumFile === 'damaged' ? ['meta/strata.sum is damaged (edited by hand or a merge conflict)'] : [];
      const what = { changed: 'changed since meta/strata.sum was written', unlisted: 'not listed in meta/strata.sum', deleted: 'listed in meta/strata.sum but deleted' } as const;
      return [...head, ...p.files.map((f) => `${f.file}: ${what[f.issue]}`)].join('; ');
    }
    case 'corrupt':
      return `${p.file} ${p.message}`;
    default: {
      const never: never = p;
      throw new Error(`unknown folder problem ${JSON.stringify(never)}`);
    }
  }
}

/** The error a problem raises when a command cannot go on with it. */
export function folderProblemError(folder: MigrationFolder, p: FolderProblem): StrataError {
  switch (p.kind) {
    case 'branch-conflict':
      return new StrataError('BRANCH_CONFLICT', `migrations from two branches share the parent ${p.parent ?? '(none: both are first)'}: ${p.migrations.join(', ')}`, {
        details: [`in ${folder.dir}`, ...p.migrations.map((m) => `meta/${m}.json names the parent ${p.parent ?? 'null'}`)],
        hint: `Keep one branch's migration and generate the other again on top of it: where ${p.migrations.at(-1)} was applied, roll it back (\`strata rollback\`); delete it (its .sql, .down.sql and meta/${p.migrations.at(-1)}.json), run \`strata hash\`, then \`strata generate\`.`,
      });
    case 'integrity':
      return new StrataError('INTEGRITY_MISMATCH', `migration files do not match meta/strata.sum in ${folder.dir}`, {
        details: describeProblem(p).split('; '),
        hint: 'If the edit was intended and no database has applied these migrations yet, run `strata hash` to rewrite meta/strata.sum; otherwise restore the files (e.g. from git).',
      });
    case 'corrupt':
      return new StrataError('MIGRATIONS_CORRUPT', `${p.file} ${p.message}`, {
        details: [`in ${folder.dir}`],
        hint: 'Fix or remove the file, then run `strata hash`.',
      });
    default: {
      const never: never = p;
      throw new Error(`unknown folder problem ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Throws when the folder cannot be used to migrate or generate: corrupt files first, then
 * branch conflicts, then integrity mismatches (each error names every file of its kind).
 * `allow` skips kinds a caller can live with (rollback allows a branch conflict, so the
 * migration to regenerate can be rolled back first).
 *
 * @example
 * assertFolderUsable(readMigrationFolder('./migrations'));
 */
export function assertFolderUsable(folder: MigrationFolder, options: { allow?: FolderProblem['kind'][] } = {}): void {
  const order: FolderProblem['kind'][] = ['corrupt', 'branch-conflict', 'integrity'];
  for (const kind of order) {
    if (options.allow?.includes(kind)) continue;
    const of = folder.problems.filter((p) => p.kind === kind);
    if (of.length === 0) continue;
    const first = folderProblemError(folder, of[0]!);
    if (of.length > 1) first.details.push(...of.slice(1).map(describeProblem));
    throw first;
  }
}
