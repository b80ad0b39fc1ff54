import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadSpool, bundleUploadRoute } from '../../../electron/api/bundles/uploads.ts';
import { createDirectApi } from '../../../electron/api/direct.ts';
import { createDispatch } from '../../../electron/api/dispatch.ts';
import { createDirectHandlers } from '../../../electron/api/direct.ts';
import { EventHub } from '../../../electron/api/event-hub.ts';
import { startWeb } from '../../../electron/bridge/run-web.ts';
import type { RunningWeb } from '../../../electron/bridge/run-web.ts';
import { startBridge } from '../../../electron/bridge/server.ts';
import { openWorkspace } from '../../../electron/engine/workspace.ts';
import type { Workspace } from '../../../electron/engine/workspace.ts';
import type { CharterApi } from '../../../shared/api.ts';
import type { BundleCheck, BundleExportResult } from '../../../shared/api/types.ts';
import { EVENTS_FILE } from '../../../shared/bundle/format.ts';
import { readZipEntries, bytesSource } from '../../../shared/bundle/zip-reader.ts';

const PASSPHRASE = 'correct horse battery';
let workspace: Workspace;
let api: CharterApi;
let events: EventHub;
let uploads: UploadSpool;
let exported: BundleExportResult;

async function decide(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await api.governance.simulate({ request: { agentId: i % 2 ? 'sue' : undefined, action: i % 3 ? 'present_chart' : 'stream_chat', traceId: `t-${i}` } });
  }
}

function exportsFolder(): string {
  return join(dirname(workspace.path), 'exports');
}

async function openUpload(bytes: Uint8Array, name: string): Promise<BundleCheck | null> {
  const id = await uploads.receive(Readable.from([Buffer.from(bytes)]), name);
  return (await api.bundles.open({ operationId: `open-${name.length}-${Date.now()}`, upload: id })).check;
}

/** Flips one byte in the middle of events.ndjson's stored (compressed) data. */
function tamperEvents(bundle: Uint8Array, entries: Awaited<ReturnType<typeof readZipEntries>>): Uint8Array {
  const entry = entries.find((e) => e.name === EVENTS_FILE);
  if (!entry) throw new Error('no events entry');
  const copy = Uint8Array.from(bundle);
  const at = Math.floor((entry.dataStart + entry.dataEnd) / 2);
  copy[at] = (copy[at] as number) ^ 0x20;
  return copy;
}

beforeAll(async () => {
  workspace = await openWorkspace(join(mkdtempSync(join(tmpdir(), 'charter-bundles-api-')), 'team.db'), { actor: 'test' });
  events = new EventHub();
  uploads = new UploadSpool();
  ({ api } = createDirectApi({ engine: workspace, workspacePath: workspace.path, transport: 'direct', events, bundles: { uploads, passphraseCostLog2: 10 } }));
  await api.agents.create({ id: 'sue', name: 'Sue', role: 'support', maturity: 'supervised' });
  await decide(24);
});
afterAll(async () => {
  uploads.dispose();
  await workspace.close();
  rmSync(dirname(workspace.path), { recursive: true, force: true });
});

describe('keys over the API (no keychain: the bridge and direct use)', () => {
  it('says there is no key yet and that a passphrase is needed', async () => {
    const status = await api.keys.status({});
    expect(status).toMatchObject({ hasKey: false, kid: null, backend: 'passphrase', needsPassphrase: true });
    expect(status.keychainProblem).toMatch(/passphrase/);
  });

  it('refuses to create a key without a passphrase, naming the field', async () => {
    await expect(api.keys.create({})).rejects.toMatchObject({ code: 'invalid_argument', diagnostics: [{ pointer: '/passphrase' }] });
    await expect(api.keys.create({ passphrase: 'short' })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('creates a key sealed by the passphrase, trusted in its own workspace, and audits it', async () => {
    const key = await api.keys.create({ passphrase: PASSPHRASE });
    expect(key).toMatchObject({ status: 'active', box: 'passphrase' });
    expect(await api.keys.status({})).toMatchObject({ hasKey: true, kid: key.kid, keyBox: 'passphrase', needsPassphrase: true });
    const list = await api.keys.list({});
    expect(list.trusted.map((k) => k.kid)).toContain(key.kid);
    expect(list.jwks.keys.map((k) => k.kid)).toEqual([key.kid]);
    expect((await api.audit.query({ order: 'desc', limit: 5 })).some((r) => r.type === 'key.created')).toBe(true);
  });
});

describe('export', () => {
  it('refuses a wrong passphrase in words, pointing at the field', async () => {
    await expect(api.bundles.export({ operationId: 'x1', passphrase: 'not the passphrase' }))
      .rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/passphrase does not open/) });
  });

  it('ignores any path the page supplies: unknown fields are refused before anything is written', async () => {
    const outside = join(tmpdir(), `charter-should-not-exist-${Date.now()}.charter`);
    await expect(api.bundles.export({ operationId: 'x2', passphrase: PASSPHRASE, out: outside } as never)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(api.bundles.open({ operationId: 'x3', path: '/etc/passwd' } as never)).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(existsSync(outside)).toBe(false);
  });

  it('writes a signed bundle into exports/ under a generated name, with progress, and audits it', async () => {
    const progress: number[] = [];
    const off = events.on('progress', (p) => p.operationId === 'export-1' && progress.push(p.done));
    exported = await api.bundles.export({ operationId: 'export-1', passphrase: PASSPHRASE });
    off();
    expect(exported.cancelled).toBe(false);
    expect(exported.fileName).toMatch(/^charter-team-\d{8}-\d{6}\.charter$/);
    expect(exported.location).toBe(`exports/${exported.fileName}`);
    expect(readdirSync(exportsFolder())).toEqual([exported.fileName]);
    expect(exported.events).toBe(exported.treeSize);
    expect(exported.rootHash).toMatch(/^[0-9a-f]{64}$/);
    expect(progress.length).toBeGreaterThan(0);
    const row = (await api.audit.query({ order: 'desc', limit: 20 })).find((r) => r.type === 'bundle.exported');
    expect((await api.audit.get({ seq: row?.seq as number }))?.payload).toMatchObject({ file: exported.fileName, rootHash: exported.rootHash, kid: exported.kid });
  });
});

describe('open, browse and replay', () => {
  let handle = '';

  it('verifies the export against the workspace\'s trusted keys', async () => {
    const opened = await api.bundles.open({ operationId: 'open-1', exportId: exported.exportId as string });
    const check = opened.check;
    expect(check?.ok).toBe(true);
    if (!check?.ok) return;
    handle = check.handle;
    expect(check.signers).toEqual([exported.kid]);
    expect(check.summary.events).toBe(exported.events);
    expect(check.summary.checkpoint.rootHash).toBe(exported.rootHash);
    expect(check.summary.contracts.length).toBeGreaterThan(0);
  });

  it('pages events in order with filters and facets', async () => {
    const all = await api.bundles.browse({ handle, offset: 0, limit: 500 });
    expect(all.total).toBe(exported.events);
    expect(all.rows.map((r) => r.seq)).toEqual(Array.from({ length: exported.events }, (_, i) => i + 1));
    expect(all.facets.agents).toContain('sue');
    const sue = await api.bundles.browse({ handle, offset: 0, limit: 5, agentId: 'sue', type: 'decision' });
    expect(sue.total).toBe(12);
    expect(sue.rows).toHaveLength(5);
    expect(sue.rows.every((r) => r.agentId === 'sue' && r.type === 'decision')).toBe(true);
    const page2 = await api.bundles.browse({ handle, offset: 5, limit: 5, agentId: 'sue', type: 'decision' });
    expect(page2.rows[0]?.seq).toBeGreaterThan(sue.rows[4]?.seq as number);
  });

  it('shows an event with its payload and an inclusion proof that verifies against the signed root', async () => {
    const first = (await api.bundles.browse({ handle, offset: 0, limit: 1, type: 'decision' })).rows[0];
    const detail = await api.bundles.event({ handle, seq: first?.seq as number });
    expect(detail.event.seq).toBe(first?.seq);
    expect(detail.payload).toMatchObject({ reasons: expect.any(Array), contract: { name: 'chat-assistant' } });
    expect(detail.inclusion).toMatchObject({ verified: true, leafIndex: (first?.seq as number) - 1, treeSize: exported.treeSize, rootHash: exported.rootHash });
    await expect(api.bundles.event({ handle, seq: 10_000 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('serves the report (no script) and the contracts as carried', async () => {
    const report = await api.bundles.report({ handle });
    expect(report).toMatch(/<html/i);
    expect(report).not.toMatch(/<script/i);
    expect(report).toContain(exported.rootHash);
    const check = (await api.bundles.open({ operationId: 'open-2', exportId: exported.exportId as string })).check;
    const c = check?.ok ? check.summary.contracts[0] : undefined;
    expect(await api.bundles.contract({ handle, name: c?.name as string, version: c?.version as number })).toMatch(/kind: AgentContract/);
  });
});

describe('refusals', () => {
  it('refuses a tampered copy, naming the file and saying what to do', async () => {
    const bytes = readFileSync(join(exportsFolder(), exported.fileName));
    const entries = await readZipEntries(bytesSource(bytes));
    const check = await openUpload(tamperEvents(bytes, entries), 'tampered.charter');
    expect(check?.ok).toBe(false);
    if (check?.ok !== false) return;
    expect(check.fileName).toBe('tampered.charter');
    expect(check.failure).toMatchObject({ kind: 'tampered', file: EVENTS_FILE });
    expect(check.failure.message).toMatch(/events\.ndjson/);
    expect(check.advice).toMatch(/original export/);
  });

  it('refuses a bundle signed by a key the workspace does not trust, naming the key', async () => {
    const bytes = readFileSync(join(exportsFolder(), exported.fileName));
    await api.keys.untrust({ kid: exported.kid });
    try {
      const check = await openUpload(bytes, 'q1.charter');
      expect(check?.ok).toBe(false);
      if (check?.ok !== false) return;
      expect(check.failure.kind).toBe('untrusted_key');
      expect(check.failure.message).toContain(exported.kid);
    } finally {
      await api.keys.trust({ jwks: (await api.keys.list({})).jwks, label: 'own key' });
    }
    expect((await openUpload(bytes, 'q1.charter'))?.ok).toBe(true);
  });

  it('cancels an export on request and leaves no file', async () => {
    await decide(5);
    const before = readdirSync(exportsFolder()).length;
    const { CharterError } = await import('../../../shared/errors.ts');
    const local = createDirectApi({
      engine: workspace, workspacePath: workspace.path, transport: 'direct',
      bundles: { passphraseCostLog2: 10, exportInWorker: (_p, o) => new Promise((_r, reject) => o.signal?.addEventListener('abort', () => reject(new CharterError('cancelled', 'the export was cancelled')))) },
    }).api;
    const running = local.bundles.export({ operationId: 'cancel-me', passphrase: PASSPHRASE });
    await new Promise((r) => setTimeout(r, 50));
    expect(await local.bundles.cancel({ operationId: 'cancel-me' })).toBe(true);
    expect(await running).toMatchObject({ cancelled: true, exportId: null });
    expect(readdirSync(exportsFolder()).length).toBe(before);
  });
});

describe('over the bridge', () => {
  let web: RunningWeb;
  beforeAll(async () => {
    web = await startWeb({ engine: workspace, workspacePath: workspace.path, staticDir: null });
  });
  afterAll(async () => web.close());

  const post = (port: number, path: string, headers: Record<string, string | number>, body: Uint8Array | string | null): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve({ status: 413, body: '' }) : reject(error)));
      if (body !== null) req.end(body);
      else req.end();
    });

  it('verifies a bundle uploaded as a binary body', async () => {
    const bytes = readFileSync(join(exportsFolder(), exported.fileName));
    const auth = { Authorization: `Bearer ${web.bridge.token}`, 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length };
    const res = await post(web.bridge.port, '/api/bundles.open?operationId=up-1&fileName=q1.charter', auth, bytes);
    expect(res.status).toBe(200);
    const envelope = JSON.parse(res.body) as { ok: boolean; value: { check: BundleCheck } };
    expect(envelope.value.check).toMatchObject({ ok: true, fileName: 'q1.charter' });
  });

  it('refuses an upload declared over 256 MiB with 413 before reading it, and keeps JSON calls at 1 MiB', async () => {
    const auth = { Authorization: `Bearer ${web.bridge.token}` };
    const big = await post(web.bridge.port, '/api/bundles.open?operationId=up-2', { ...auth, 'Content-Type': 'application/octet-stream', 'Content-Length': 256 * 1024 * 1024 + 1 }, null);
    expect(big.status).toBe(413);
    const json = JSON.stringify({ operationId: 'x'.repeat(2 * 1024 * 1024) });
    const res = await post(web.bridge.port, '/api/bundles.open', { ...auth, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) }, json);
    expect(res.status).toBe(413);
    const other = await post(web.bridge.port, '/api/keys.status', { ...auth, 'Content-Type': 'application/octet-stream', 'Content-Length': 2 }, '{}');
    expect(other.status).toBe(415);
  });

  it('refuses a streamed upload that grows past the limit, and removes what it spooled', async () => {
    const spool = new UploadSpool();
    const handlers = createDirectHandlers({ engine: workspace, workspacePath: workspace.path, transport: 'bridge', bundles: { uploads: spool } });
    const bridge = await startBridge({ dispatch: createDispatch(handlers), events: new EventHub(), token: 'small-limit-token-0123456789', uploads: { 'bundles.open': bundleUploadRoute(spool, 4096) } });
    try {
      const res = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: bridge.port, path: '/api/bundles.open?operationId=s', method: 'POST',
          headers: { Host: `127.0.0.1:${bridge.port}`, Authorization: 'Bearer small-limit-token-0123456789', 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' } },
        (r) => { r.resume(); resolve(r.statusCode ?? 0); });
        req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? resolve(413) : reject(e)));
        for (let i = 0; i < 8; i++) req.write(Buffer.alloc(1024, 1));
        req.end();
      });
      expect(res).toBe(413);
    } finally {
      await bridge.close();
      spool.dispose();
    }
  });
});
