/** Runs `charter` in-process with captured output: fast enough for many cases per test file. */
import type { Command } from '../../../electron/cli/command.ts';
import { main } from '../../../electron/cli/main.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T = unknown>(): T;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  readonly signal?: AbortSignal;
  readonly commands?: readonly Command[];
  /** Called with the output so far after every write. */
  readonly onOutput?: (stdout: string) => void;
}

export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    {
      stdout: {
        write: (text: string) => {
          stdout += text;
          options.onOutput?.(stdout);
        },
      },
      stderr: { write: (text: string) => (stderr += text) },
      env: { HOME: '/nonexistent-home', ...options.env },
      cwd: options.cwd ?? process.cwd(),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    ...(options.commands ? [options.commands] : []),
  );
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}
