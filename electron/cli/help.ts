/** Help text: the overview of every command, and one command's usage. */
import type { Command } from './command.ts';
import { allOptions } from './args.ts';
import type { Styler } from './output.ts';
import { ExitCode } from './exit-codes.ts';

export function overviewHelp(commands: readonly Command[], style: Styler, prefix?: string): string {
  const shown = prefix ? commands.filter((c) => c.name === prefix || c.name.startsWith(`${prefix} `)) : commands;
  const width = Math.max(...shown.map((c) => usageLine(c).length));
  const lines = [
    prefix ? `${style.bold(`charter ${prefix}`)} — subcommands` : `${style.bold('charter')} — govern AI agents from the command line`,
    '',
    `${style.bold('Usage:')} charter ${prefix ? `${prefix} ` : ''}<command> [options]`,
    '',
    style.bold('Commands:'),
    ...shown.map((c) => `  ${usageLine(c).padEnd(width)}  ${c.summary}`),
    '',
    `Every command takes ${style.bold('--help')}, ${style.bold('--db PATH')} and ${style.bold('--json')}.`,
    `Run "charter <command> --help" for details. Exit codes: ${exitCodeSummary()}.`,
  ];
  return lines.join('\n');
}

export function commandHelp(command: Command, style: Styler, defaultDb: string): string {
  const options = allOptions(command);
  const labels = Object.entries(options).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const value = spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : '';
    return [`${short}--${name}${value}${spec.multiple ? ' …' : ''}`, name === 'db' ? `${spec.description}: ${defaultDb}` : spec.description] as const;
  });
  const width = Math.max(...labels.map(([label]) => label.length));
  const lines = [
    `${style.bold(`charter ${command.name}`)} — ${command.summary}`,
    '',
    `${style.bold('Usage:')} ${usageLine(command)} [options]`,
  ];
  if (command.details) lines.push('', command.details);
  lines.push('', style.bold('Options:'), ...labels.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`));
  if (command.examples?.length) lines.push('', style.bold('Examples:'), ...command.examples.map((e) => `  ${e}`));
  lines.push('', `Exit codes: ${exitCodeSummary()}.`);
  return lines.join('\n');
}

function usageLine(command: Command): string {
  return `charter ${command.name}${command.args ? ` ${command.args}` : ''}`;
}

function exitCodeSummary(): string {
  return [
    `${ExitCode.ok} ok`,
    `${ExitCode.checkFailed} check failed`,
    `${ExitCode.usage} usage`,
    `${ExitCode.input} bad input file`,
    `${ExitCode.store} workspace error`,
    `${ExitCode.refused} refused (not found/conflict)`,
    `${ExitCode.internal} internal error`,
  ].join(', ');
}
