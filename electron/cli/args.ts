/** Command-line parsing over node:util parseArgs, with the options every command shares. */
import { parseArgs } from 'node:util';
import type { Command, OptionSpec } from './command.ts';
import { usageError } from './command-error.ts';

export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  db: { type: 'string', value: 'PATH', description: 'Workspace database (default: $CHARTER_DB, else the app\'s workspace)' },
  json: { type: 'boolean', description: 'Machine-readable output (JSON) on stdout' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

export interface ParsedOptions {
  string(name: string): string | undefined;
  strings(name: string): readonly string[];
  flag(name: string): boolean;
  /** An integer option; a usage error when it is not one. */
  integer(name: string, bounds?: { min?: number; max?: number }): number | undefined;
  /** A JSON option value (`--input '{"a":1}'`); a usage error when it does not parse. */
  jsonValue(name: string): unknown;
}

export interface ParsedCommandLine {
  readonly positionals: readonly string[];
  readonly options: ParsedOptions;
}

export function allOptions(command: Command): Readonly<Record<string, OptionSpec>> {
  return { ...command.options, ...COMMON_OPTIONS };
}

export function parseCommandLine(command: Command, args: readonly string[]): ParsedCommandLine {
  const specs = allOptions(command);
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    config[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}\nRun "charter ${command.name} --help" for usage.`);
  }
  const values = parsed.values;
  const options: ParsedOptions = {
    string: (name) => {
      const value = values[name];
      return typeof value === 'string' ? value : undefined;
    },
    strings: (name) => {
      const value = values[name];
      if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
      return typeof value === 'string' ? [value] : [];
    },
    flag: (name) => values[name] === true,
    integer: (name, bounds = {}) => {
      const value = values[name];
      if (typeof value !== 'string') return undefined;
      const n = Number(value);
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || (bounds.min !== undefined && n < bounds.min) || (bounds.max !== undefined && n > bounds.max)) {
        const range = bounds.min !== undefined ? ` ≥ ${bounds.min}` : '';
        throw usageError(`--${name} must be an integer${range} (got "${value}")`);
      }
      return n;
    },
    jsonValue: (name) => {
      const value = values[name];
      if (typeof value !== 'string') return undefined;
      try {
        return JSON.parse(value) as unknown;
      } catch (error) {
        throw usageError(`--${name} is not valid JSON: ${(error as Error).message}`);
      }
    },
  };
  const positionals = parsed.positionals;
  if (!options.flag('help')) {
    if (command.minArgs !== undefined && positionals.length < command.minArgs) {
      throw usageError(`charter ${command.name} needs ${command.args ?? 'more arguments'}\nRun "charter ${command.name} --help" for usage.`);
    }
    if (command.maxArgs !== undefined && positionals.length > command.maxArgs) {
      const extra = positionals.slice(command.maxArgs).join(' ');
      throw usageError(`unexpected argument${positionals.length - command.maxArgs > 1 ? 's' : ''}: ${extra}\nRun "charter ${command.name} --help" for usage.`);
    }
  }
  return { positionals, options };
}
