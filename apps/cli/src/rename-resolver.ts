import type { RenameResolver } from '@strata/diff';
import { hintedRenameResolver } from '@strata/workflow';
import type { CommandContext } from './context.js';
import { promptRenameResolver } from './prompt-rename-resolver.js';

/**
 * The resolver for this run (generate, push): `--rename` hints answer; what they leave open is
 * asked on a terminal and is an input-required error (exit 2, listing the flags to pass) without one;
 * with `renames` false (`--no-renames`) it is "drop and create".
 *
 * @example
 * const resolver = renameResolver(ctx, ['users.name=users.full_name']);
 */
export function renameResolver(ctx: CommandContext, hints: string[], renames = true): RenameResolver {
  // --no-renames: the questions no --rename answers are answered "drop and create", without asking.
  if (!renames) return hintedRenameResolver(hints, 'drop-and-create');
  return hintedRenameResolver(hints, ctx.canPrompt ? promptRenameResolver() : undefined);
}
