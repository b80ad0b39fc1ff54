/** `charter keys …` and `charter bundle …` as a user runs them: output, JSON, exit codes. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main.ts';
import { BUNDLE_EXIT_CODES } from '../../../shared/bundle/failures.ts';
import { bytesSource, readZipEntries } from '../../../shared/bundle/zip-reader.ts';
import { repack, unpack } from '../../unit/bundle/forge.ts';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let dir: string;

async function charter(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { CHARTER_PASSPHRASE: 'cli test passphrase', NO_COLOR: '1' },
    cwd: dir,
  });
  return { code, stdout, stderr };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'charter-bundle-cli-'));
  expect((await charter('agents', 'create', '--db', 'ws.db', '--id', 'sue', '--name', 'Sue', '--role', 'support', '--maturity', 'supervised')).code).toBe(0);
  for (const action of ['stream_chat', 'present_chart', 'submit_form']) {
    await charter('simulate', '--db', 'ws.db', '--agent', 'sue', '--action', action);
  }
});

describe('charter keys and charter bundle', () => {
  it('makes a key, exports a bundle and verifies it, by the workspace\'s trust list or a JWKS file', async () => {
    const created = await charter('keys', 'create', '--db', 'ws.db', '--json');
    expect(created.code).toBe(0);
    const { kid } = JSON.parse(created.stdout) as { kid: string };
    expect((await charter('keys', 'create', '--db', 'ws.db')).code).not.toBe(0);
    expect((await charter('keys', 'export-public', '--db', 'ws.db', '--out', 'team.jwks')).code).toBe(0);
    const exported = await charter('bundle', 'export', '--db', 'ws.db', '--out', 'a.charter', '--json');
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ kid, firstSeq: 1 });
    const byWorkspace = await charter('bundle', 'verify', '--db', 'ws.db', 'a.charter');
    expect(byWorkspace.code).toBe(0);
    expect(byWorkspace.stdout).toMatch(/✓ a.charter: verified/);
    const byFile = await charter('bundle', 'verify', 'a.charter', '--trusted', 'team.jwks', '--json');
    expect(JSON.parse(byFile.stdout)).toMatchObject({ ok: true, signers: [kid] });
    const inspected = await charter('bundle', 'inspect', 'a.charter');
    expect(inspected.stdout).toMatch(/NOT VERIFIED/);
  });

  it('exits with the code of each failure class and names what failed', async () => {
    const good = readFileSync(join(dir, 'a.charter'));
    const tampered = Buffer.from(good);
    const files = await unpack(good);
    const events = (await readZipEntries(bytesSource(good))).find((e) => e.name === 'events.ndjson');
    if (!events) throw new Error('no events');
    const at = Math.floor((events.dataStart + events.dataEnd) / 2);
    tampered[at] = (tampered[at] as number) ^ 0xff;
    writeFileSync(join(dir, 'tampered.charter'), tampered);
    writeFileSync(join(dir, 'missing.charter'), repack(files.filter(([n]) => n !== 'report.html')));
    writeFileSync(join(dir, 'extra.charter'), repack([...files, ['extra.txt', Buffer.from('x')]]));
    writeFileSync(join(dir, 'other.jwks'), JSON.stringify({ keys: [] }));

    const missing = await charter('bundle', 'verify', '--db', 'ws.db', 'missing.charter');
    expect([missing.code, missing.stdout]).toEqual([BUNDLE_EXIT_CODES.missing_file, expect.stringMatching(/missing file — report.html/)]);
    const extra = await charter('bundle', 'verify', '--db', 'ws.db', 'extra.charter', '--json');
    expect(extra.code).toBe(BUNDLE_EXIT_CODES.extra_file);
    expect(JSON.parse(extra.stdout)).toMatchObject({ ok: false, failure: { kind: 'extra_file', file: 'extra.txt' } });
    const untrusted = await charter('bundle', 'verify', 'a.charter', '--trusted', 'other.jwks');
    expect(untrusted.code).toBe(BUNDLE_EXIT_CODES.untrusted_key);
    const changed = await charter('bundle', 'verify', '--db', 'ws.db', 'tampered.charter');
    expect([changed.code, changed.stdout]).toEqual([BUNDLE_EXIT_CODES.tampered, expect.stringMatching(/tampered file — events.ndjson/)]);
    const threshold = await charter('bundle', 'verify', '--db', 'ws.db', 'a.charter', '--threshold', '2');
    expect(threshold.code).toBe(BUNDLE_EXIT_CODES.signature);
    for (const run of [missing, extra, untrusted, changed, threshold]) expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m);
  });

  it('rotates keys: bundles signed before still verify against the exported JWKS', async () => {
    expect((await charter('keys', 'rotate', '--db', 'ws.db')).code).toBe(0);
    expect((await charter('keys', 'export-public', '--db', 'ws.db', '--out', 'team2.jwks')).code).toBe(0);
    expect((await charter('bundle', 'verify', 'a.charter', '--trusted', 'team2.jwks')).code).toBe(0);
    expect((await charter('bundle', 'export', '--db', 'ws.db', '--out', 'b.charter')).code).toBe(0);
    const chained = await charter('bundle', 'verify', 'b.charter', '--trusted', 'team2.jwks', '--previous', 'a.charter');
    expect(chained.code).toBe(0);
    expect(chained.stdout).toMatch(/extends a.charter/);
    const list = JSON.parse((await charter('keys', 'list', '--db', 'ws.db', '--json')).stdout) as { signing: { status: string }[] };
    expect(list.signing.map((k) => k.status)).toEqual(['retired', 'active']);
  });
});
