import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../electron/cli/commands/index.ts';
import { main } from '../../../electron/cli/main.ts';

function io(signal: AbortSignal) {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env: { NO_COLOR: '1' }, cwd: tmpdir(), signal },
    out: () => out,
    err: () => err,
  };
}

describe('charter web', () => {
  it('is a registered command', () => {
    expect(commands.map((c) => c.name)).toContain('web');
  });

  it('refuses to listen anywhere but 127.0.0.1', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'charter-web-')), 'w.db');
    const run = io(new AbortController().signal);
    const code = await main(['web', '--db', db, '--host', '0.0.0.0'], run.io);
    expect(code).not.toBe(0);
    expect(run.err()).toContain('127.0.0.1');
  });

  it('prints a tokened loopback URL, serves the API with it, and stops on Ctrl-C', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'charter-web-')), 'w.db');
    const controller = new AbortController();
    const run = io(controller.signal);
    const exited = main(['web', '--db', db], run.io);
    let url = '';
    for (let i = 0; i < 100 && !url; i++) {
      await new Promise((r) => setTimeout(r, 50));
      url = /Open: (\S+)/.exec(run.out())?.[1] ?? '';
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const { origin, searchParams } = new URL(url);
    const res = await fetch(`${origin}/api/contracts.list`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${searchParams.get('token')}` }, body: '{}' });
    expect(res.status).toBe(200);
    expect((await fetch(`${origin}/api/contracts.list`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
    controller.abort();
    expect(await exited).toBe(0);
  });
});
