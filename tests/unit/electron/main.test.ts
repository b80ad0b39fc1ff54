import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// A stand-in `electron`: the Electron binary cannot run here, so the main process is exercised
// against recording fakes of the few APIs it touches.
const electron = vi.hoisted(() => ({
  dialogResponse: 1,
  opened: [] as string[],
  exposed: {} as Record<string, unknown>,
  invoked: [] as { channel: string; args: unknown }[],
}));

vi.mock('electron', () => ({
  app: { requestSingleInstanceLock: () => true, on: () => {}, quit: () => {}, whenReady: async () => {}, getPath: () => tmpdir(), getVersion: () => '0.0.0' },
  BrowserWindow: class {},
  ipcMain: { handle: () => {}, removeHandler: () => {} },
  protocol: { registerSchemesAsPrivileged: () => {}, handle: () => {} },
  session: { defaultSession: {} },
  dialog: { showMessageBox: async () => ({ response: electron.dialogResponse }) },
  shell: { openExternal: async (url: string) => { electron.opened.push(url); } },
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => { electron.exposed[key] = value; } },
  ipcRenderer: {
    invoke: async (channel: string, args: unknown) => { electron.invoked.push({ channel, args }); return { ok: true, value: [] }; },
    on: () => {},
    removeListener: () => {},
  },
}));

const { webPreferences, hardenContents, hardenSession, confirmAndOpenExternal, serveApp, readBounds } = await import('../../../electron/main.ts');
const { registerIpc } = await import('../../../electron/ipc.ts');
const { createDirectHandlers } = await import('../../../electron/api/direct.ts');
const { createDispatch } = await import('../../../electron/api/dispatch.ts');
const { openWorkspace } = await import('../../../electron/engine/workspace.ts');
const { OPERATION_NAMES } = await import('../../../shared/api.ts');
const { CONTENT_SECURITY_POLICY } = await import('../../../shared/api/csp.ts');

describe('Electron main process (stand-in electron)', () => {
  it('creates the window with isolated, sandboxed, node-free webPreferences', () => {
    const prefs = webPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, preload: '/app/preload.cjs' });
  });

  it('denies navigation, redirects, webviews and new windows', () => {
    const handlers: Record<string, (event: { preventDefault(): void }) => void> = {};
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    hardenContents({
      on: ((name: string, fn: (event: { preventDefault(): void }) => void) => { handlers[name] = fn; }) as never,
      setWindowOpenHandler: ((fn: (details: { url: string }) => { action: string }) => { openHandler = fn; }) as never,
    });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { prevented: false, preventDefault() { this.prevented = true; } };
      handlers[name]?.(event);
      expect(event.prevented, name).toBe(true);
    }
    expect(openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    hardenSession({ setPermissionRequestHandler: ((fn: typeof request) => { request = fn; }) as never, setPermissionCheckHandler: ((fn: typeof check) => { check = fn; }) as never });
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) request?.({}, permission, (g) => answers.push(g));
    expect(answers).toEqual([false, false, false, false]);
    expect(check?.()).toBe(false);
  });

  it('opens external links only for https and only after the user confirms', async () => {
    electron.opened.length = 0;
    electron.dialogResponse = 0;
    expect(await confirmAndOpenExternal('http://example.com/', () => null)).toBe(false);
    expect(await confirmAndOpenExternal('file:///etc/passwd', () => null)).toBe(false);
    electron.dialogResponse = 1;
    expect(await confirmAndOpenExternal('https://example.com/docs', () => null)).toBe(false);
    electron.dialogResponse = 0;
    expect(await confirmAndOpenExternal('https://example.com/docs', () => null)).toBe(true);
    expect(electron.opened).toEqual(['https://example.com/docs']);
  });

  it('serves the app protocol with the CSP and nothing outside the renderer build', async () => {
    const root = mkdtempSync(join(tmpdir(), 'charter-app-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    mkdirSync(join(root, 'assets'));
    const page = await serveApp(new Request('charter://app/index.html'), root);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await serveApp(new Request('charter://app/../../etc/passwd'), root)).status).toBe(404);
    expect((await serveApp(new Request('charter://other/index.html'), root)).status).toBe(404);
  });

  it('falls back to the default window size when the remembered state is damaged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-bounds-'));
    writeFileSync(join(dir, 'bad.json'), '{"width": -5, "height": "x"}');
    expect(readBounds(join(dir, 'bad.json'))).toEqual({ width: 1400, height: 900 });
    writeFileSync(join(dir, 'good.json'), '{"width": 1000, "height": 700, "x": 10, "y": 20}');
    expect(readBounds(join(dir, 'good.json'))).toEqual({ width: 1000, height: 700, x: 10, y: 20 });
    expect(readBounds(join(dir, 'missing.json'))).toEqual({ width: 1400, height: 900 });
  });
});

describe('IPC handlers', () => {
  type Handler = (event: unknown, args: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; diagnostics: { pointer?: string }[] } }>;
  const handlers = new Map<string, Handler>();
  const mainFrame = { url: 'charter://app/index.html' };
  const webContents = { mainFrame } as never;
  const window = { webContents };
  let workspace: Awaited<ReturnType<typeof openWorkspace>>;

  beforeAll(async () => {
    workspace = await openWorkspace(join(mkdtempSync(join(tmpdir(), 'charter-ipc-')), 'w.db'));
    const direct = createDirectHandlers({ engine: workspace, workspacePath: workspace.path, transport: 'ipc' });
    registerIpc({ handle: ((channel: string, fn: Handler) => handlers.set(channel, fn)) as never, removeHandler: () => {} }, createDispatch(direct), () => window);
  });
  afterAll(async () => workspace.close());

  it('registers one channel per operation and nothing generic', () => {
    expect([...handlers.keys()].sort()).toEqual(OPERATION_NAMES.map((n) => `charter:${n}`).sort());
  });

  it('answers the app\'s own main frame', async () => {
    const result = await handlers.get('charter:contracts.list')!({ sender: webContents, senderFrame: mainFrame }, {});
    expect(result.ok).toBe(true);
    expect((result.value as { name: string }[]).map((c) => c.name)).toContain('chat-assistant');
  });

  it('refuses a foreign frame, another origin, or another window with a typed error', async () => {
    const call = handlers.get('charter:contracts.list')!;
    const subframe = { url: 'charter://app/index.html' };
    for (const event of [
      { sender: webContents, senderFrame: subframe },
      { sender: webContents, senderFrame: null },
      { sender: {}, senderFrame: mainFrame },
    ]) {
      const result = await call(event, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    mainFrame.url = 'https://evil.example/';
    expect(await call({ sender: webContents, senderFrame: mainFrame }, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    mainFrame.url = 'charter://app/index.html';
  });

  it('refuses invalid arguments with a typed error naming the field', async () => {
    const result = await handlers.get('charter:contracts.publish')!({ sender: webContents, senderFrame: mainFrame }, { name: 'chat-assistant', version: 'one' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(result.error?.diagnostics[0]?.pointer).toBe('/version');
  });
});

describe('preload', () => {
  beforeEach(() => {
    electron.invoked.length = 0;
  });

  it('exposes one method per operation on its own channel, and no generic invoke', async () => {
    await import('../../../electron/preload.ts');
    const exposed = electron.exposed.charterIpc as Record<string, Record<string, (a: unknown) => Promise<unknown>>>;
    expect(Object.keys(electron.exposed)).toEqual(['charterIpc']);
    for (const operation of OPERATION_NAMES) {
      const [group, method] = operation.split('.') as [string, string];
      expect(typeof exposed[group]?.[method], operation).toBe('function');
    }
    expect(exposed).not.toHaveProperty('invoke');
    await exposed.contracts!.list!({});
    expect(electron.invoked).toEqual([{ channel: 'charter:contracts.list', args: {} }]);
  });
});
