import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Command } from '../../../electron/cli/command.ts';
import { CharterError } from '../../../shared/errors.ts';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'charter-cli-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function throwing(error: unknown): Command {
  return { name: 'boom', summary: 'fails', workspace: 'none', run: () => Promise.reject(error) };
}

describe('the top-level error handler', () => {
  it('turns an unexpected error into one "internal error" line and a CHARTER_DEBUG hint, exit 70', async () => {
    const run = await runCli(['boom'], { commands: [throwing(new TypeError("Cannot read properties of undefined (reading 'x')"))] });
    expect(run.code).toBe(70);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "charter: error: internal error: Cannot read properties of undefined (reading 'x')\n" +
      'This is a bug in Charter. Rerun with CHARTER_DEBUG=1 to see the stack trace, and report it.\n',
    );
  });

  it('shows the stack only when CHARTER_DEBUG=1', async () => {
    const run = await runCli(['boom'], { commands: [throwing(new Error('kaput'))], env: { CHARTER_DEBUG: '1' } });
    expect(run.code).toBe(70);
    expect(run.stderr).toMatch(/^Error: kaput\n\s+at /m);
  });

  it('maps CharterError codes to exit codes and prints located diagnostics compiler-style', async () => {
    const located = new CharterError('invalid_contract', 'the contract has 1 error', [
      { code: 'schema.type', message: 'tokenCap must be an integer', severity: 'error', location: { file: join(dir, 'c.yaml'), line: 3, column: 9 } },
    ]);
    const run = await runCli(['boom'], { commands: [throwing(located)], cwd: dir });
    expect([run.code, run.stderr]).toEqual([1, 'c.yaml:3:9: error: tokenCap must be an integer [schema.type]\n']);
    const notFound = await runCli(['boom', '--json'], { commands: [throwing(new CharterError('not_found', 'no such agent'))] });
    expect(notFound.code).toBe(5);
    expect(notFound.json()).toEqual({ ok: false, error: { code: 'not_found', exitCode: 5, message: 'no such agent', diagnostics: [] } });
    expect((await runCli(['boom'], { commands: [throwing(new CharterError('store_unavailable', 'disk gone'))] })).code).toBe(4);
  });
});

describe('charter audit tail --follow', () => {
  it('prints events appended by another process (here: another connection) until interrupted', async () => {
    const db = join(dir, 'follow.db');
    expect((await runCli(['agents', 'create', '--id', 'first', '--name', 'F', '--role', 'r', '--db', db])).code).toBe(0);
    const controller = new AbortController();
    let seenSecond!: () => void;
    const second = new Promise<void>((resolve) => (seenSecond = resolve));
    const following = runCli(['audit', 'tail', '--follow', '--json', '--db', db], {
      signal: controller.signal,
      onOutput: (stdout) => {
        if (stdout.includes('"agentId": "second"') || stdout.includes('"agentId":"second"')) seenSecond();
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await runCli(['agents', 'create', '--id', 'second', '--name', 'S', '--role', 'r', '--db', db])).code).toBe(0);
    await second;
    controller.abort();
    const run = await following;
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; agentId: string | null });
    expect(lines.filter((e) => e.type === 'agent.created').map((e) => e.agentId)).toEqual(['first', 'second']);
  });
});
