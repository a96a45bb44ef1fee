import type { Log, ReportingDescriptor, Result } from 'sarif';
import { RULES, type RuleCategory, type RuleId, type RuleInfo } from './rule-catalog.js';
import type { LintReport, Severity } from './types.js';

const LEVEL: Record<Severity, NonNullable<Result['level']>> = { error: 'error', warning: 'warning', info: 'note' };
const DEFAULT_LEVEL: Record<RuleCategory, NonNullable<Result['level']>> = { blocking: 'error', breaking: 'error', invalid: 'error', style: 'warning' };

function levelOf(id: RuleId): NonNullable<Result['level']> {
  const info: RuleInfo = RULES[id];
  return info.severity ? LEVEL[info.severity] : DEFAULT_LEVEL[info.category];
}

/**
 * The report as a SARIF 2.1.0 log (GitHub code scanning, IDEs). Suppressed findings carry an
 * in-source suppression with the `-- strata:ignore` reason as justification.
 *
 * @example
 * writeFileSync('lint.sarif', JSON.stringify(toSarif(report, '0.1.0')));
 */
export function toSarif(report: LintReport, toolVersion: string): Log {
  const ids = Object.keys(RULES) as RuleId[];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'strata lint',
          version: toolVersion,
          rules: ids.map((id): ReportingDescriptor => ({
            id,
            name: id.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase()),
            shortDescription: { text: RULES[id].summary },
            defaultConfiguration: { level: levelOf(id) },
            properties: { category: RULES[id].category, covers: RULES[id].covers },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      results: report.findings.map((f): Result => ({
        ruleId: f.rule,
        ruleIndex: ids.indexOf(f.rule),
        level: LEVEL[f.severity],
        message: { text: f.hint ? `${f.message}. ${f.hint}` : f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: encodeURI(f.file) },
            region: { startLine: f.line, startColumn: f.column },
          },
        }],
        ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressed.reason }] } : {}),
      })),
    }],
  };
}
