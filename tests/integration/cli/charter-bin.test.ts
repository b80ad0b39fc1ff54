/**
 * The real `charter` binary, spawned: exit codes, JSON on stdout, and bad input that must
 * end in a clear located error, never a stack trace. Few spawns: each costs a tsx startup.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/charter.mjs');
const dir = mkdtempSync(join(tmpdir(), 'charter-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function charter(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const STACK_FRAME = /^\s+at .+[:(]\d+/m;

describe('charter (spawned)', () => {
  it('charter test policies/ passes with at least 40 cases and full coverage, as JSON', async () => {
    const run = await charter(['test', join(ROOT, 'policies'), '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; totals: { cases: number; passed: number; failed: number }; coverage: { contract: string; ratio: number }[] };
    expect(report.ok).toBe(true);
    expect(report.totals.cases).toBeGreaterThanOrEqual(40);
    expect(report.totals.passed).toBe(report.totals.cases);
    expect(report.coverage.length).toBeGreaterThanOrEqual(4);
  });

  it('a deliberately failing case: FAIL with expected vs actual, exit 1', async () => {
    cpSync(join(ROOT, 'policies/examples/finance-agent.yaml'), join(dir, 'finance-agent.yaml'));
    writeFileSync(join(dir, 'failing.test.yaml'), `apiVersion: charter/v1
kind: TestSuite
metadata: { name: failing }
contract: finance-agent.yaml
agents:
  - { id: payments, name: P, role: payments, maturity: supervised }
cases:
  - name: a big transfer is surely fine
    request: { agent: payments, action: transfer_funds, input: { amount: 50000, currency: EUR, beneficiary: { name: X, iban: DE89370400440532013000 } } }
    expect: { outcome: allow }
`);
    const run = await charter(['test', 'failing.test.yaml']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('FAIL  a big transfer is surely fine  failing.test.yaml:8:5');
    expect(run.stdout).toContain('outcome: expected allow, got escalate');
    expect(run.stdout).toContain('finance/approvals/large-transfer: Transfers over 10,000 need a second pair of eyes.');
    expect(run.stdout).toMatch(/FAIL {2}0 passed, 1 failed/);
  });

  it('garbage, empty, binary, 50 MB and deeply nested files: located errors, non-zero exit, no stack trace', async () => {
    writeFileSync(join(dir, 'garbage.yaml'), '}{ :: ][ \t- "unterminated\n');
    writeFileSync(join(dir, 'empty.yaml'), '');
    writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]));
    writeFileSync(join(dir, 'huge.yaml'), '');
    truncateSync(join(dir, 'huge.yaml'), 50 * 1024 * 1024);
    writeFileSync(join(dir, 'nested.yaml'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const files = ['garbage.yaml', 'empty.yaml', 'binary.yaml', 'huge.yaml', 'nested.yaml'];

    const run = await charter(['validate', ...files, '--json']);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { files: { file: string; ok: boolean; diagnostics: { message: string; location?: { file: string; line: number; column: number } }[] }[] };
    expect(result.files.map((f) => f.file)).toEqual(files);
    for (const file of result.files) {
      expect([file.file, file.ok]).toEqual([file.file, false]);
      expect(file.diagnostics.length).toBeGreaterThan(0);
      expect(file.diagnostics[0]!.location).toMatchObject({ file: file.file, line: expect.any(Number), column: expect.any(Number) });
    }
    expect(result.files[3]!.diagnostics[0]!.message).toBe('contract is 50.0 MiB; the limit is 1.0 MiB');

    const human = await charter(['validate', ...files]);
    expect(human.code).toBe(3);
    expect(`${human.stdout}${human.stderr}`).not.toMatch(STACK_FRAME);
    expect(human.stdout).toMatch(/^binary\.yaml:1:8: error: contract looks binary/m);

    const suites = await charter(['test', 'garbage.yaml', 'empty.yaml', 'binary.yaml', 'huge.yaml', 'nested.yaml']);
    expect(suites.code).toBe(3);
    expect(`${suites.stdout}${suites.stderr}`).not.toMatch(STACK_FRAME);
    for (const file of files) expect(suites.stdout).toMatch(new RegExp(`^  ${file.replace('.', '\\.')}:\\d+:\\d+: error: `, 'm'));
  });

  it('workspace errors exit 4 with one plain line', async () => {
    writeFileSync(join(dir, 'not-a-db.db'), 'this is not SQLite at all, just text that fills the header page'.repeat(100));
    const run = await charter(['agents', 'list', '--db', 'not-a-db.db']);
    expect(run.code).toBe(4);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^charter: error: .*not-a-db\.db/);
  });
});
