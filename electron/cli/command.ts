/** What a `charter` command is, and what it gets when it runs. */
import type { Output } from './output.ts';
import type { ParsedOptions } from './args.ts';
import type { Workspace } from './workspace.ts';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** Placeholder shown in help: `--agent ID`. */
  readonly value?: string;
  readonly description: string;
}

/**
 * How a command uses the workspace at `--db`: `none` never opens it, `existing` refuses a
 * missing file (reading a typo'd path must not create an empty workspace), `create` creates it.
 */
export type WorkspaceUse = 'none' | 'existing' | 'create';

export interface Command {
  /** The words after `charter`: `validate`, `audit verify`. */
  readonly name: string;
  readonly summary: string;
  /** Positional arguments as shown in usage: `FILE…`. */
  readonly args?: string;
  readonly minArgs?: number;
  readonly maxArgs?: number;
  /** Longer help text, plain paragraphs. */
  readonly details?: string;
  readonly options?: Readonly<Record<string, OptionSpec>>;
  readonly examples?: readonly string[];
  readonly workspace: WorkspaceUse;
  run(context: CommandContext): Promise<number>;
}

export interface CommandContext {
  readonly command: Command;
  readonly positionals: readonly string[];
  readonly options: ParsedOptions;
  readonly json: boolean;
  readonly out: Output;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The resolved `--db` path. */
  readonly dbPath: string;
  /** Opens the workspace (once per run); main closes it when the command returns. */
  workspace(): Promise<Workspace>;
  /** Aborted on Ctrl-C; long-running commands (`audit tail --follow`) stop on it. */
  readonly signal: AbortSignal;
}
