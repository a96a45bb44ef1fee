/** One `-- strata:ignore <rule> <reason>` comment. */
export interface IgnoreDirective {
  /** Rules it names (`rule-a,rule-b` names two). */
  rules: string[];
  /** Why the finding is acceptable; empty when the comment gives none. */
  reason: string;
  /** 1-based line of the comment. */
  line: number;
}

const DIRECTIVE = /^\s*--\s*strata:ignore\b(.*)$/;

/**
 * The ignore comments directly above a statement: the run of comment lines (and blank lines) that
 * ends on the line before `statementLine`.
 *
 * @example
 * ignoreDirectivesAbove(['-- strata:ignore drop-column unused since v2', 'alter table t drop column c'], 2)
 * // [{ rules: ['drop-column'], reason: 'unused since v2', line: 1 }]
 */
export function ignoreDirectivesAbove(lines: readonly string[], statementLine: number): IgnoreDirective[] {
  const found: IgnoreDirective[] = [];
  for (let i = statementLine - 2; i >= 0; i--) {
    const text = lines[i]!.trim();
    if (text === '') continue;
    if (!text.startsWith('--')) break;
    if (text.startsWith('--> ')) break; // a statement breakpoint or part marker ends the block
    const m = DIRECTIVE.exec(text);
    if (!m) continue;
    const rest = m[1]!.trim();
    const space = rest.search(/\s/);
    const ruleList = space < 0 ? rest : rest.slice(0, space);
    const reason = space < 0 ? '' : rest.slice(space).trim();
    found.unshift({ rules: ruleList.split(',').map((r) => r.trim()).filter(Boolean), reason, line: i + 1 });
  }
  return found;
}
