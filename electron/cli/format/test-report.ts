/** `charter test` output: PASS/FAIL per case, expected vs actual, coverage, a summary line. */
import type { CaseResult, ContractCoverage, Mismatch, SuiteResult, TestReport } from '../../engine/testing/results.ts';
import type { Styler } from '../output.ts';
import { diagnosticLine, displayPath, relativeDiagnostic } from './paths.ts';

export interface ReportOptions {
  readonly coverage: boolean;
  /** Leave out passing cases. */
  readonly quiet: boolean;
}

export function formatTestReport(report: TestReport, cwd: string, style: Styler, options: ReportOptions): string[] {
  const lines: string[] = [];
  for (const suite of report.suites) {
    const clean = suite.diagnostics.length === 0 && suite.cases.every((c) => c.status === 'pass');
    if (!(options.quiet && clean)) lines.push(...formatSuite(suite, cwd, style, options.quiet), '');
  }
  if (options.coverage) lines.push(...formatCoverage(report.coverage, cwd, style), '');
  lines.push(summaryLine(report, style));
  return lines;
}

function formatSuite(suite: SuiteResult, cwd: string, style: Styler, quiet: boolean): string[] {
  const title = `${style.bold(displayPath(suite.file, cwd))}${suite.name ? ` ${style.dim(`(${suite.name}${suite.contract ? ` → contract ${suite.contract}` : ''})`)}` : ''}`;
  const lines = [title];
  for (const d of suite.diagnostics) lines.push(`  ${diagnosticLine(d, cwd, style)}`);
  for (const c of suite.cases) if (!quiet || c.status !== 'pass') lines.push(...formatCase(c, cwd, style));
  return lines;
}

function formatCase(c: CaseResult, cwd: string, style: Styler): string[] {
  if (c.status === 'pass') return [`  ${style.green('PASS')}  ${c.name}`];
  const where = c.location.file ? `${displayPath(c.location.file, cwd)}:${c.location.line}:${c.location.column}` : '';
  const label = c.status === 'fail' ? style.red('FAIL') : style.red('ERROR');
  const lines = [`  ${label}  ${c.name}  ${style.dim(where)}`];
  if (c.error) lines.push(`          ${c.error}`);
  for (const m of c.mismatches) lines.push(`          ${formatMismatch(m, style)}`);
  if (c.decision) {
    const d = c.decision;
    lines.push(style.dim(`          decision: ${d.outcome} for agent ${d.agentId} (${d.rung}) under ${d.contract ? `${d.contract.name} v${d.contract.version}` : 'no contract'} at ${c.at}`));
    for (const r of d.reasons) lines.push(style.dim(`            ${r.ruleId}: ${r.message}`));
  }
  return lines;
}

function formatMismatch(m: Mismatch, style: Styler): string {
  if (m.field === 'ruleId') {
    const actual = m.actual as readonly string[];
    return `ruleId: expected ${style.green(String(m.expected))} among the reasons, got ${style.red(actual.length > 0 ? actual.join(', ') : 'no reasons')}`;
  }
  return `${m.field}: expected ${style.green(show(m.expected))}, got ${style.red(show(m.actual))}`;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.join('; ')}]`;
  if (value === null || value === undefined) return 'none';
  return String(value);
}

export function formatCoverage(coverage: readonly ContractCoverage[], cwd: string, style: Styler): string[] {
  const lines = [style.bold('Coverage (contract rules evaluated by the cases):')];
  for (const c of coverage) {
    const percent = `${(c.ratio * 100).toFixed(1)}%`;
    const paint = c.ratio === 1 ? style.green : c.ratio >= 0.8 ? style.yellow : style.red;
    lines.push(`  ${style.bold(c.contract)} ${style.dim(displayPath(c.file, cwd))}  ${c.covered.length}/${c.total} rules  ${paint(percent)}`);
    for (const id of c.uncovered) lines.push(`    ${style.red('not covered')}  ${id}`);
    if (c.builtins.length > 0) lines.push(style.dim(`    built-in rules exercised: ${c.builtins.join(', ')}`));
  }
  return lines;
}

function summaryLine(report: TestReport, style: Styler): string {
  const t = report.totals;
  const parts = [`${t.passed} passed`, `${t.failed} failed`];
  if (t.errored > 0) parts.push(`${t.errored} errors`);
  if (t.brokenSuites > 0) parts.push(`${t.brokenSuites} suite${t.brokenSuites === 1 ? '' : 's'} could not run`);
  const text = `${parts.join(', ')} — ${t.cases} cases in ${t.suites} suite${t.suites === 1 ? '' : 's'}, ${(report.durationMs / 1000).toFixed(2)} s`;
  return report.ok ? style.green(`PASS  ${text}`) : style.red(`FAIL  ${text}`);
}

/** The report with paths relative to the working directory, for --json. */
export function reportForJson(report: TestReport, cwd: string): TestReport {
  return {
    ...report,
    suites: report.suites.map((s) => ({
      ...s,
      file: displayPath(s.file, cwd),
      contractFile: s.contractFile === null ? null : displayPath(s.contractFile, cwd),
      diagnostics: s.diagnostics.map((d) => relativeDiagnostic(d, cwd)),
      cases: s.cases.map((c) => ({ ...c, location: { ...c.location, file: c.location.file ? displayPath(c.location.file, cwd) : undefined } })),
    })),
    coverage: report.coverage.map((c) => ({ ...c, file: displayPath(c.file, cwd) })),
  };
}
