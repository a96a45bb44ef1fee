import type { LintReport, Severity } from './types.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::…`), one per unsuppressed finding:
 * the findings then show on the pull request's diff.
 *
 * @example
 * for (const line of githubAnnotations(report)) console.log(line);
 */
export function githubAnnotations(report: LintReport): string[] {
  return report.findings.filter((f) => !f.suppressed).map((f) => {
    const props = [`file=${escapeProperty(f.file)}`, `line=${f.line}`, `col=${f.column}`, `title=${escapeProperty(`strata lint: ${f.rule}`)}`];
    return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.hint ? `${f.message}. ${f.hint}` : f.message)}`;
  });
}

// The escapes of @actions/core's command.ts.
function escapeData(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
