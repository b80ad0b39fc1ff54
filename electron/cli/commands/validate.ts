import type { Diagnostic } from '../../../shared/errors.ts';
import type { Command } from '../command.ts';
import { isCommandError } from '../command-error.ts';
import { ExitCode } from '../exit-codes.ts';
import { diagnosticLine, displayPath, relativeDiagnostic } from '../format/paths.ts';
import { readInputFile } from '../input.ts';

interface FileResult {
  readonly file: string;
  readonly ok: boolean;
  /** The file could not be read at all. */
  readonly unreadable: boolean;
  readonly contract: string | null;
  readonly diagnostics: readonly Diagnostic[];
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check agent contracts and report every problem with file:line:column',
  args: 'FILE…',
  minArgs: 1,
  details: 'Parses each contract (YAML, apiVersion charter/v1, kind AgentContract) against the schema and the\n' +
    'action catalog. Exit 1 when any contract has an error, 3 when a file cannot be read.',
  workspace: 'none',
  examples: ['charter validate policies/examples/support-assistant.yaml', 'charter validate --json contracts/*.yaml'],
  async run(ctx) {
    // Loaded here, not at startup: `charter --help` should not pay for the schema compiler.
    const [{ parseContract }, { builtinCatalog }] = await Promise.all([
      import('../../../shared/contract/parse.ts'),
      import('../../engine/catalog.ts'),
    ]);
    const catalog = builtinCatalog();
    const results: FileResult[] = ctx.positionals.map((arg) => {
      const file = displayPath(arg, ctx.cwd);
      let source: string;
      try {
        source = readInputFile(arg, 'contract', ctx.cwd);
      } catch (error) {
        if (!isCommandError(error)) throw error;
        return { file, ok: false, unreadable: true, contract: null, diagnostics: error.diagnostics.map((d) => relativeDiagnostic(d, ctx.cwd)) };
      }
      const parsed = parseContract(source, { file, catalog });
      return {
        file,
        ok: parsed.ok,
        unreadable: false,
        contract: parsed.ok ? parsed.contract.metadata.name : null,
        diagnostics: parsed.diagnostics,
      };
    });

    const invalid = results.filter((r) => !r.ok).length;
    const errors = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'error').length, 0);
    const warnings = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'warning').length, 0);
    const exitCode = results.some((r) => r.unreadable) ? ExitCode.input : invalid > 0 ? ExitCode.checkFailed : ExitCode.ok;

    if (ctx.json) {
      ctx.out.json({ ok: exitCode === ExitCode.ok, files: results, summary: { files: results.length, valid: results.length - invalid, invalid, errors, warnings } });
      return exitCode;
    }
    const { style } = ctx.out;
    for (const result of results) {
      for (const d of result.diagnostics) ctx.out.line(diagnosticLine(d, ctx.cwd, style));
      if (result.ok) ctx.out.line(`${style.green('✓')} ${result.file}: contract ${style.bold(result.contract ?? '')} is valid`);
    }
    const summary = `${results.length} file${results.length === 1 ? '' : 's'}: ${results.length - invalid} valid, ${invalid} invalid` +
      ` (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`;
    ctx.out.line(invalid > 0 ? style.red(summary) : summary);
    return exitCode;
  },
};
