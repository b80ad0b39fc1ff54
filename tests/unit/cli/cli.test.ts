import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../../electron/cli/commands/index.ts';
import { runCli } from './run-cli.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const SUPPORT = join(ROOT, 'policies/examples/support-assistant.yaml');
const dir = mkdtempSync(join(tmpdir(), 'charter-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let dbCounter = 0;
const freshDb = () => join(dir, `w${++dbCounter}.db`);

describe('charter: the command line itself', () => {
  it('lists every command in --help and exits 0; with no arguments prints usage and exits 2', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const c of commands) expect(help.stdout).toContain(`charter ${c.name}`);
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: charter <command>');
  });

  it('gives every command --help with --db, --json and its default workspace path', async () => {
    for (const c of commands) {
      const run = await runCli([...c.name.split(' '), '--help'], { env: { XDG_CONFIG_HOME: '/xdg' } });
      expect([c.name, run.code]).toEqual([c.name, 0]);
      expect(run.stdout).toContain('--db PATH');
      expect(run.stdout).toContain('--json');
      expect(run.stdout).toContain('/xdg/Charter/workspace.db');
    }
  });

  it('refuses unknown commands, subcommands and options with exit 2 and a hint', async () => {
    const unknown = await runCli(['frobnicate']);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'charter: error: unknown command "frobnicate"\nRun "charter --help" to list commands.\n']);
    const sub = await runCli(['audit', 'shred']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('unknown subcommand "audit shred"');
    expect(sub.stderr).toContain('charter audit verify');
    const option = await runCli(['validate', '--strict', SUPPORT]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--strict'");
    const missing = await runCli(['validate']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('charter validate needs FILE…');
  });

  it('reports errors as JSON on stdout too when --json is given', async () => {
    const run = await runCli(['agents', 'show', 'ghost', '--db', join(dir, 'none.db'), '--json']);
    expect(run.code).toBe(4);
    expect(run.json()).toEqual({ ok: false, error: expect.objectContaining({ exitCode: 4, message: expect.stringContaining('no workspace at') }) });
  });
});

describe('charter validate', () => {
  it('accepts the example contracts', async () => {
    const run = await runCli(['validate', 'policies/examples/support-assistant.yaml', 'policies/default/chat-assistant.yaml'], { cwd: ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ policies/examples/support-assistant.yaml: contract support-assistant is valid');
    expect(run.stdout).toContain('2 files: 2 valid, 0 invalid');
  });

  it('prints every located diagnostic and exits 1 for an invalid contract', async () => {
    const path = join(dir, 'bad-contract.yaml');
    writeFileSync(path, 'apiVersion: charter/v1\nkind: AgentContract\nmetadata: { name: bad }\nspec:\n  failMode: sideways\n  rules: [{ id: g, tokenCap: -1 }]\n');
    const run = await runCli(['validate', 'bad-contract.yaml', '--json'], { cwd: dir });
    expect(run.code).toBe(1);
    const result = run.json<{ ok: boolean; files: { file: string; diagnostics: { location: { file: string; line: number } }[] }[] }>();
    expect(result.ok).toBe(false);
    expect(result.files[0]!.diagnostics.length).toBeGreaterThanOrEqual(2);
    for (const d of result.files[0]!.diagnostics) expect(d.location.file).toBe('bad-contract.yaml');
    const human = await runCli(['validate', 'bad-contract.yaml'], { cwd: dir });
    expect(human.stdout).toMatch(/^bad-contract\.yaml:5:\d+: error: .+ \[[\w.-]+\]$/m);
  });

  it('exits 3 for a file it cannot read', async () => {
    const run = await runCli(['validate', 'nope.yaml'], { cwd: dir });
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('nope.yaml:1:1: error: cannot read contract: no such file [file.unreadable]');
  });
});

describe('charter test', () => {
  it('runs a suite, prints PASS per case and a summary, and --coverage per contract', async () => {
    const run = await runCli(['test', '--coverage', 'policies/examples/tests/coding-agent.test.yaml'], { cwd: ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  PASS  a path that climbs out with .. is refused');
    expect(run.stdout).toMatch(/coding-agent policies\/examples\/coding-agent\.yaml {2}10\/10 rules {2}100\.0%/);
    expect(run.stdout).toMatch(/PASS {2}22 passed, 0 failed — 22 cases in 1 suite/);
  });

  it('exits 3 when a directory holds no suites', async () => {
    const run = await runCli(['test', dir]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('no test suites (*.test.yaml) found');
  });
});

describe('workspace commands', () => {
  it('add, publish, activate a contract; create an agent; simulate; tail and verify the trail', async () => {
    const db = freshDb();
    const ok = async (args: string[]) => {
      const run = await runCli([...args, '--db', db]);
      expect([args.join(' '), run.code, run.stderr]).toEqual([args.join(' '), 0, '']);
      return run;
    };
    expect((await runCli(['agents', 'list', '--db', db])).code).toBe(4);
    expect((await ok(['contracts', 'add', SUPPORT, '--json'])).json()).toMatchObject({ contract: 'support-assistant', version: 1, status: 'draft' });
    await ok(['contracts', 'publish', 'support-assistant', '1']);
    expect((await ok(['contracts', 'activate', 'support-assistant', 'v1'])).stdout).toBe('activated support-assistant v1: now active\n');
    await ok(['agents', 'create', '--id', 'ivy', '--name', 'Ivy', '--role', 'support-agent', '--maturity', 'intern', '--contract', 'support-assistant']);
    expect((await ok(['agents', 'list', '--json'])).json()).toEqual([expect.objectContaining({ id: 'ivy', maturity: 'intern' })]);

    const denied = await ok(['simulate', '--agent', 'ivy', '--action', 'submit_form', '--input', '{"formId":"f","values":{}}']);
    expect(denied.stdout).toContain('DENY  submit_form');
    expect(denied.stdout).toContain('maturity.gate');
    await ok(['agents', 'set-maturity', 'ivy', 'supervised']);
    const simulated = (await ok(['simulate', '--agent', 'ivy', '--action', 'submit_form', '--input', '{"formId":"f","values":{"email":"a@b.co"}}', '--json'])).json<{ decision: Record<string, unknown>; auditSeq: number }>();
    const allowed = simulated.decision;
    expect(allowed).toMatchObject({ outcome: 'allow', rung: 'explicit', agentId: 'ivy', cacheHit: false, contract: { name: 'support-assistant', version: 1 } });
    expect(allowed.obligations).toEqual({ redact: [{ path: '/values/email', dataClass: 'PII', method: 'mask', target: 'input' }] });

    const before = (await ok(['audit', 'tail', '-n', '1000', '--json'])).json<unknown[]>().length;
    await ok(['simulate', '--action', 'present_chart', '--no-record']);
    const events = (await ok(['audit', 'tail', '-n', '1000', '--json'])).json<{ type: string; seq: number }[]>();
    expect(events.length).toBe(before);
    expect(events.filter((e) => e.type === 'decision')).toHaveLength(2);
    expect(events.find((e) => e.seq === simulated.auditSeq)?.type).toBe('decision');
    expect((await ok(['audit', 'tail', '-n', '2'])).stdout.trim().split('\n')).toHaveLength(2);
    expect((await ok(['audit', 'verify', '--json'])).json()).toMatchObject({ ok: true, eventsChecked: events.length, firstBad: null });
  });

  it('names the first bad event when the trail was tampered with, and exits 1', async () => {
    const db = freshDb();
    for (const id of ['a1', 'a2', 'a3']) {
      expect((await runCli(['agents', 'create', '--id', id, '--name', id, '--role', 'r', '--db', db])).code).toBe(0);
    }
    const sqlite = new BetterSqlite3(db);
    const target = (sqlite.prepare("select seq from audit_events where agent_id = 'a2'").get() as { seq: number }).seq;
    sqlite.exec('drop trigger audit_events_append_only_update');
    sqlite.prepare("update audit_events set agent_id = 'mallory' where seq = ?").run(target);
    sqlite.close();
    const run = await runCli(['audit', 'verify', '--db', db]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`audit trail broken at event #${target}`);
  });

  it('refuses what does not exist or conflicts with exit 5, bad arguments with exit 2', async () => {
    const db = freshDb();
    await runCli(['contracts', 'add', SUPPORT, '--db', db]);
    expect((await runCli(['contracts', 'publish', 'support-assistant', '7', '--db', db])).code).toBe(5);
    expect((await runCli(['contracts', 'activate', 'support-assistant', '1', '--db', db])).code).toBe(5);
    expect((await runCli(['contracts', 'publish', 'support-assistant', 'latest', '--db', db])).code).toBe(2);
    expect((await runCli(['agents', 'create', '--name', 'X', '--role', 'r', '--maturity', 'wizard', '--db', db])).code).toBe(2);
    expect((await runCli(['simulate', '--action', 'x', '--input', '{oops', '--db', db])).stderr).toContain('--input is not valid JSON');
    const stale = await runCli(['contracts', 'add', SUPPORT.replace('support-assistant', 'finance-agent'), '--parent', 'f'.repeat(64), '--db', db]);
    expect(stale.code).toBe(5);
  });

  it('settings: default agent and contract, and the emergency bypass flag', async () => {
    const db = freshDb();
    await runCli(['agents', 'create', '--id', 'sue', '--name', 'Sue', '--role', 'r', '--maturity', 'autonomous', '--db', db]);
    expect((await runCli(['settings', 'default-agent', 'sue', '--db', db])).stdout).toBe('default agent: sue\n');
    expect((await runCli(['settings', 'default-agent', 'nobody', '--db', db])).code).toBe(5);
    expect((await runCli(['settings', 'default-contract', '--db', db, '--json'])).json()).toEqual({ defaultContract: null });
    expect((await runCli(['settings', 'flag', 'emergencyBypass', 'on', '--db', db, '--json'])).json()).toEqual({ emergencyBypass: true });
    const bypassed = (await runCli(['simulate', '--action', 'stream_chat', '--db', db, '--json'])).json<{ decision: Record<string, unknown> }>().decision;
    expect(bypassed).toMatchObject({ outcome: 'allow', degraded: 'bypass', rung: 'workspace_default', agentId: 'sue' });
    expect((await runCli(['settings', 'flag', 'turbo', 'on', '--db', db])).code).toBe(2);
  });

  it('simulate --file runs a scenario in order; a malformed scenario gets located errors and exit 3', async () => {
    const db = freshDb();
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(scenario, `apiVersion: charter/v1
kind: Scenario
metadata: { name: walk-in }
steps:
  - name: chart
    request: { action: present_chart }
  - request: { action: stream_chat, input: { messages: [{ role: user, content: hi }] } }
`);
    const run = await runCli(['simulate', '--file', scenario, '--db', db, '--json']);
    expect(run.code).toBe(0);
    const steps = run.json<{ steps: { name: string; decision: { outcome: string } }[] }>().steps;
    expect(steps.map((s) => [s.name, s.decision.outcome])).toEqual([['chart', 'allow'], ['step 2', 'deny']]);

    writeFileSync(scenario, 'apiVersion: charter/v1\nkind: Scenario\nsteps:\n  - request: { actoin: present_chart }\n');
    const bad = await runCli(['simulate', '--file', 'scenario.yaml', '--db', db], { cwd: dir });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('scenario.yaml:4:16: error: unknown key "actoin" in request (did you mean "action"?)');
  });
});
