/** Runs `charter` in-process with captured output: fast enough for many cases per test file. */
import { main } from '../../../electron/cli/main.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T = unknown>(): T;
}

export async function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { HOME: '/nonexistent-home', ...options.env },
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}
