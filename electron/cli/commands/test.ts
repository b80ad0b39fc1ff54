import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatTestReport, reportForJson } from '../format/test-report.ts';
import { findSuiteFiles } from '../input.ts';
import { loadOpenWorkspace } from '../workspace.ts';

export const testCommand: Command = {
  name: 'test',
  summary: 'Run contract test suites (like opa test): PASS/FAIL per case, rule coverage',
  args: 'DIR|FILE…',
  minArgs: 1,
  details: 'Directories are searched for *.test.yaml files. Each suite runs in a fresh in-memory workspace with\n' +
    'a fake clock; its cases run in order. See docs/testing.md for the suite format. --db is not used.\n' +
    'Exit 1 when a case fails, 3 when a suite or its contract cannot be loaded.',
  options: {
    coverage: { type: 'boolean', description: 'Print which contract rules the cases evaluated' },
    quiet: { type: 'boolean', short: 'q', description: 'Print only failures and the summary' },
  },
  workspace: 'none',
  examples: ['charter test policies/', 'charter test --coverage policies/examples/tests/support-assistant.test.yaml', 'charter test --json policies/ | jq .totals'],
  async run(ctx) {
    const files = findSuiteFiles(ctx.positionals, ctx.cwd);
    const [openWorkspace, { runSuites }] = await Promise.all([loadOpenWorkspace(), import('../../engine/testing/run-suites.ts')]);
    const report = await runSuites(files, { openWorkspace });
    const exitCode = report.totals.brokenSuites > 0 ? ExitCode.input : report.ok ? ExitCode.ok : ExitCode.checkFailed;
    if (ctx.json) {
      ctx.out.json(reportForJson(report, ctx.cwd));
      return exitCode;
    }
    const lines = formatTestReport(report, ctx.cwd, ctx.out.style, { coverage: ctx.options.flag('coverage'), quiet: ctx.options.flag('quiet') });
    for (const line of lines) ctx.out.line(line);
    return exitCode;
  },
};
