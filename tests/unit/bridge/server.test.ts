import { request } from 'node:http';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { EventHub } from '../../../electron/api/event-hub.ts';
import type { Dispatch } from '../../../electron/api/dispatch.ts';
import { authorize } from '../../../electron/bridge/auth.ts';
import type { RunningBridge } from '../../../electron/bridge/server.ts';
import { startBridge } from '../../../electron/bridge/server.ts';
import { CONTENT_SECURITY_POLICY } from '../../../shared/api/csp.ts';

const TOKEN = 'test-token-0123456789abcdefghijklmnop';
const calls: { name: unknown; args: unknown }[] = [];
const dispatch: Dispatch = async (name, args) => {
  calls.push({ name, args });
  if (name === 'app.info') return { ok: true, value: { version: 'x', transport: 'bridge', workspacePath: '/w' } };
  return { ok: false, error: { code: 'invalid_argument', message: 'bad', diagnostics: [{ code: 'argument.invalid', message: 'bad', severity: 'error', pointer: '/name' }] } };
};

let bridge: RunningBridge | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
  calls.length = 0;
});

interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function raw(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

async function start(staticDir: string | null = null): Promise<RunningBridge> {
  bridge = await startBridge({ dispatch, events: new EventHub(), token: TOKEN, staticDir });
  return bridge;
}

describe('charter web bridge', () => {
  it('refuses to bind anything but 127.0.0.1', async () => {
    for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.10']) {
      await expect(startBridge({ dispatch, events: new EventHub(), host })).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  it('prints a URL on 127.0.0.1 with a fresh 32-byte base64url token', async () => {
    bridge = await startBridge({ dispatch, events: new EventHub() });
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('answers 401 without the token and never runs the operation', async () => {
    const b = await start();
    const res = await fetch(`${b.origin}/api/app.info`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    const wrong = await fetch(`${b.origin}/api/app.info`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}x` }, body: '{}' });
    expect(wrong.status).toBe(401);
    expect(calls).toHaveLength(0);
  });

  it('runs an operation with the bearer token and maps a typed error to its status', async () => {
    const b = await start();
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` };
    const ok = await fetch(`${b.origin}/api/app.info`, { method: 'POST', headers, body: '{}' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, value: { version: 'x', transport: 'bridge', workspacePath: '/w' } });
    const bad = await fetch(`${b.origin}/api/contracts.get`, { method: 'POST', headers, body: '{"name":1}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { diagnostics: { pointer: string }[] } }).error.diagnostics[0]?.pointer).toBe('/name');
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers 413 for a body over the limit, by declared length or by streaming', async () => {
    const b = await start();
    const big = Buffer.alloc(1024 * 1024 + 10, 'a');
    const declared = await raw(b.port, { method: 'POST', path: '/api/app.info', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}`, 'Content-Length': String(big.length) }, body: big });
    expect(declared.status).toBe(413);
    const chunked = await raw(b.port, { method: 'POST', path: '/api/app.info', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}`, 'Transfer-Encoding': 'chunked' }, body: big });
    expect(chunked.status).toBe(413);
    expect(calls).toHaveLength(0);
  });

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin', async () => {
    const b = await start();
    const rebinding = await raw(b.port, { method: 'POST', path: '/api/app.info', headers: { Host: `evil.example:${b.port}`, 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, body: '{}' });
    expect(rebinding.status).toBe(403);
    const crossSite = await raw(b.port, { method: 'POST', path: '/api/app.info', headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, body: '{}' });
    expect(crossSite.status).toBe(403);
    expect(calls).toHaveLength(0);
  });

  it('refuses a peer that is not loopback with 403', () => {
    const facts = { host: '127.0.0.1:5000', authorization: `Bearer ${TOKEN}`, cookie: undefined, origin: undefined };
    expect(authorize({ ...facts, remoteAddress: '10.0.0.7' }, 5000, TOKEN)).toMatchObject({ ok: false, status: 403 });
    expect(authorize({ ...facts, remoteAddress: '::ffff:192.168.0.2' }, 5000, TOKEN)).toMatchObject({ ok: false, status: 403 });
    expect(authorize({ ...facts, remoteAddress: '::ffff:127.0.0.1' }, 5000, TOKEN)).toEqual({ ok: true });
    expect(authorize({ ...facts, remoteAddress: '::1' }, 5000, TOKEN)).toEqual({ ok: true });
  });

  it('trades ?token= for an HttpOnly cookie and drops it from the address', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Charter</title>');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    const b = await start(dir);
    const first = await raw(b.port, { path: `/?token=${TOKEN}` });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']).split(';')[0] as string;
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(first.headers['referrer-policy']).toBe('no-referrer');
    const page = await raw(b.port, { path: '/', headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Charter</title>');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await raw(b.port, { path: '/assets/app.js', headers: { Cookie: cookie } })).status).toBe(200);
    expect((await raw(b.port, { path: '/assets/app.js' })).status).toBe(401);
    const traversal = await raw(b.port, { path: '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', headers: { Cookie: cookie } });
    expect(traversal.body).not.toContain('root:');
    expect((await raw(b.port, { path: '/assets/missing.js', headers: { Cookie: cookie } })).status).toBe(404);
    expect((await raw(b.port, { path: `/?token=wrong-token-wrong-token-wrong-token-wro` })).status).toBe(401);
  });

  it('delivers events over the WebSocket only to token holders of our origin', async () => {
    const events = new EventHub();
    bridge = await startBridge({ dispatch, events, token: TOKEN });
    const b = bridge;
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${b.port}/events`);
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('error'));
    });
    expect(refused).toBe('401');
    const ws = new WebSocket(`ws://127.0.0.1:${b.port}/events`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    await new Promise((resolve) => ws.on('open', resolve));
    const received = new Promise<unknown>((resolve) => ws.on('message', (data) => resolve(JSON.parse(String(data)))));
    events.emit('progress', { operationId: 'op1', done: 5, total: 10 });
    expect(await received).toEqual({ event: 'progress', payload: { operationId: 'op1', done: 5, total: 10 } });
    ws.close();
  });
});
