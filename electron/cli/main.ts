/**
 * `charter …`: finds the command, parses its options, runs it, and turns every failure into
 * plain words and an exit code. Never a stack trace, unless CHARTER_DEBUG=1 asks for one.
 */
import { readFileSync } from 'node:fs';
import { isCharterError } from '../../shared/errors.ts';
import type { Diagnostic } from '../../shared/errors.ts';
import { parseCommandLine } from './args.ts';
import type { Command, CommandContext } from './command.ts';
import { isCommandError, usageError } from './command-error.ts';
import { commands } from './commands/index.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import { diagnosticLine } from './format/paths.ts';
import { commandHelp, overviewHelp } from './help.ts';
import { createOutput } from './output.ts';
import type { Output, TextSink } from './output.ts';
import { openCliWorkspace, resolveDbPath } from './workspace.ts';
import type { Workspace } from './workspace.ts';

export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
}

/** `registry` is for tests of the framework itself; the CLI always runs with every command. */
export async function main(argv: readonly string[], io: CliIo = processIo(), registry: readonly Command[] = commands): Promise<number> {
  const out = createOutput(io.stdout, io.stderr, io.env);
  const wantsJson = argv.includes('--json');
  try {
    return await dispatch(argv, io, out, registry);
  } catch (error) {
    return report(error, out, io, wantsJson);
  }
}

async function dispatch(argv: readonly string[], io: CliIo, out: Output, commands: readonly Command[]): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    const topic = first === 'help' ? argv.slice(1).filter((a) => !a.startsWith('-')) : [];
    const found = topic.length > 0 ? findCommand(commands, topic) : undefined;
    if (found && found.consumed === topic.length) out.line(commandHelp(found.command, out.style, resolveDbPath(undefined, io.env, io.cwd)));
    else if (topic.length > 0 && isGroup(commands, topic[0]!)) out.line(overviewHelp(commands, out.style, topic[0]));
    else if (topic.length > 0) throw usageError(`unknown command "${topic.join(' ')}"\nRun "charter --help" to list commands.`);
    else if (first === undefined) {
      out.error(overviewHelp(commands, out.errStyle));
      return ExitCode.usage;
    } else out.line(overviewHelp(commands, out.style));
    return ExitCode.ok;
  }
  if (first === '--version' || first === '-V') {
    out.line(version());
    return ExitCode.ok;
  }

  const found = findCommand(commands, argv);
  if (!found) {
    if (isGroup(commands, first)) {
      const rest = argv.slice(1);
      if (rest.includes('--help') || rest.includes('-h')) {
        out.line(overviewHelp(commands, out.style, first));
        return ExitCode.ok;
      }
      const sub = rest.find((a) => !a.startsWith('-'));
      throw usageError(`${sub ? `unknown subcommand "${first} ${sub}"` : `"charter ${first}" needs a subcommand`}\n${overviewHelp(commands, out.errStyle, first)}`);
    }
    throw usageError(`unknown command "${first}"\nRun "charter --help" to list commands.`);
  }

  const { command, consumed } = found;
  const parsed = parseCommandLine(command, argv.slice(consumed));
  const dbPath = resolveDbPath(parsed.options.string('db'), io.env, io.cwd);
  if (parsed.options.flag('help')) {
    out.line(commandHelp(command, out.style, dbPath));
    return ExitCode.ok;
  }

  let workspace: Workspace | undefined;
  const context: CommandContext = {
    command,
    positionals: parsed.positionals,
    options: parsed.options,
    json: parsed.options.flag('json'),
    out,
    cwd: io.cwd,
    env: io.env,
    dbPath,
    signal: io.signal ?? new AbortController().signal,
    workspace: async () => {
      if (command.workspace === 'none') throw new Error(`command ${command.name} declares that it uses no workspace`);
      workspace ??= await openCliWorkspace(dbPath, command.workspace);
      return workspace;
    },
  };
  try {
    return await command.run(context);
  } finally {
    await workspace?.close();
  }
}

function findCommand(commands: readonly Command[], argv: readonly string[]): { command: Command; consumed: number } | undefined {
  let best: { command: Command; consumed: number } | undefined;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word) && (!best || words.length > best.consumed)) {
      best = { command, consumed: words.length };
    }
  }
  return best;
}

function isGroup(commands: readonly Command[], word: string): boolean {
  return commands.some((c) => c.name.startsWith(`${word} `));
}

function report(error: unknown, out: Output, io: CliIo, json: boolean): number {
  const { env, cwd } = io;
  const style = out.errStyle;
  let exitCode: number;
  let code: string;
  let message: string;
  let diagnostics: readonly Diagnostic[] = [];
  if (isCommandError(error)) {
    exitCode = error.exitCode;
    code = exitCode === ExitCode.usage ? 'usage' : 'failed';
    message = error.message;
    diagnostics = error.diagnostics;
  } else if (isCharterError(error)) {
    exitCode = exitCodeFor(error.code);
    code = error.code;
    message = error.message;
    diagnostics = error.diagnostics;
  } else {
    exitCode = ExitCode.internal;
    code = 'internal';
    message = `internal error: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (json) out.json({ ok: false, error: { code, exitCode, message, diagnostics } });
  // Diagnostics already say where and what; print them compiler-style instead of repeating.
  const located = diagnostics.filter((d) => d.location !== undefined || d.pointer !== undefined);
  if (located.length === 0) out.error(`${style.bold('charter:')} ${style.red('error:')} ${message}`);
  for (const d of located) out.error(diagnosticLine(d, cwd, style));
  if (exitCode === ExitCode.internal) {
    if (env.CHARTER_DEBUG === '1' && error instanceof Error && error.stack) out.error(error.stack);
    else out.error('This is a bug in Charter. Rerun with CHARTER_DEBUG=1 to see the stack trace, and report it.');
  }
  return exitCode;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `charter ${pkg.version}`;
}

function processIo(): CliIo {
  const controller = new AbortController();
  // The first Ctrl-C asks the running command to stop; a second one stops at once.
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    // Commands that do not watch the signal are stopped shortly after.
    setTimeout(() => process.exit(130), 1000).unref();
  });
  // `charter audit tail | head` closes the pipe early; that is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: controller.signal };
}
