/**
 * The Electron main process: one hardened window showing the renderer from the `charter://app`
 * protocol with the app's CSP, the CharterApi bound to IPC over the default workspace, and the
 * usual locks: single instance, no navigation, no new windows, no permissions, external links
 * only https and only after the user confirms. Long work (chain verification) runs in worker
 * threads (electron/workers), so this process never blocks on it.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions, Rectangle, Session, WebContents, WebPreferences } from 'electron';
import { BrowserWindow, app, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { SECURITY_HEADERS } from '../shared/api/csp.ts';
import { AuditWatcher } from './api/audit-watcher.ts';
import type { BundleHost, Keychain } from './api/bundles/host.ts';
import { safeStorageKeychain } from './api/bundles/safe-storage-box.ts';
import { createDirectHandlers } from './api/direct.ts';
import { createDispatch } from './api/dispatch.ts';
import { EventHub } from './api/event-hub.ts';
import { RENDERER_DIST } from './bridge/run-web.ts';
import { resolveStatic } from './bridge/static-files.ts';
import { openWorkspace } from './engine/workspace.ts';
import { APP_ORIGIN, forwardEvents, registerIpc } from './ipc.ts';

export const APP_URL = `${APP_ORIGIN}/index.html`;

export function webPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

// ---- window state ---------------------------------------------------------------------------

const DEFAULT_BOUNDS = { width: 1400, height: 900 };

/** Reads remembered bounds; anything malformed or absurd falls back to the default size. */
export function readBounds(file: string): Partial<Rectangle> {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const ok = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v < 20_000;
    if (!ok(raw.width, 400) || !ok(raw.height, 300)) return DEFAULT_BOUNDS;
    const bounds: Partial<Rectangle> = { width: raw.width as number, height: raw.height as number };
    if (ok(raw.x, -20_000) && ok(raw.y, -20_000)) return { ...bounds, x: raw.x as number, y: raw.y as number };
    return bounds;
  } catch {
    return DEFAULT_BOUNDS;
  }
}

export function writeBounds(file: string, bounds: Rectangle): void {
  try {
    writeFileSync(file, JSON.stringify(bounds));
  } catch {
    // Remembering the window size is a convenience; never fail over it.
  }
}

// ---- hardening --------------------------------------------------------------------------------

/** Denies every permission request and check (camera, notifications, geolocation, …). */
export function hardenSession(target: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
}

/** No navigation away from the app, no new windows, no webviews. */
export function hardenContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** External links: https only, and only after the user says yes. */
export async function confirmAndOpenExternal(url: string, getWindow: () => BrowserWindow | null): Promise<boolean> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:') return false;
  const window = getWindow();
  const options = {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Open this link in your browser?',
    detail: parsed.href,
  };
  const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  if (response !== 0) return false;
  await shell.openExternal(parsed.href);
  return true;
}

/** Serves dist/renderer at charter://app/… with the CSP; nothing outside it, no other host. */
export async function serveApp(request: Request, root: string = RENDERER_DIST): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== 'app') return new Response('not found', { status: 404 });
  const file = resolveStatic(root, url.pathname === '/' ? '/index.html' : url.pathname);
  if (!file) return new Response('not found', { status: 404 });
  const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : file.endsWith('.svg') ? 'image/svg+xml' : 'application/octet-stream';
  return new Response(readFileSync(file), { headers: { ...SECURITY_HEADERS, 'Content-Type': type } });
}

export function windowOptions(preload: string, bounds: Partial<Rectangle>): BrowserWindowConstructorOptions {
  return { ...DEFAULT_BOUNDS, ...bounds, show: false, title: 'Charter', backgroundColor: '#15171b', webPreferences: webPreferences(preload) };
}

// ---- signing keys and bundles ------------------------------------------------------------------

/**
 * The OS keychain through safeStorage, when it protects secrets here. Linux's `basic_text`
 * backend (plain text) is refused: the app then asks for a passphrase instead.
 */
export function appKeychain(): Keychain {
  return safeStorageKeychain(safeStorage);
}

const BUNDLE_FILTERS = [{ name: 'Charter bundle', extensions: ['charter'] }];

/** Bundles go where the user says in a save dialog and come from an open dialog; never from the page. */
export function desktopBundleHost(getWindow: () => BrowserWindow | null): BundleHost {
  return {
    chooseExportPath: async (suggestedName) => {
      const options = { title: 'Export a compliance bundle', defaultPath: join(app.getPath('documents'), suggestedName), filters: BUNDLE_FILTERS };
      const window = getWindow();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      if (result.canceled || !result.filePath) return null;
      const path = result.filePath.endsWith('.charter') ? result.filePath : `${result.filePath}.charter`;
      return { path, location: path };
    },
    chooseBundle: async () => {
      const options = { title: 'Open a compliance bundle', properties: ['openFile' as const], filters: BUNDLE_FILTERS };
      const window = getWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    keychain: appKeychain,
  };
}

// ---- lifecycle --------------------------------------------------------------------------------

export async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  protocol.registerSchemesAsPrivileged([{ scheme: 'charter', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  let window: BrowserWindow | null = null;
  const getWindow = () => window;
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();
  hardenSession(session.defaultSession);
  protocol.handle('charter', (request) => serveApp(request));

  const userData = app.getPath('userData');
  mkdirSync(userData, { recursive: true });
  const workspacePath = join(userData, 'workspace.db');
  const workspace = await openWorkspace(workspacePath);
  const events = new EventHub();
  const watcher = new AuditWatcher(workspace, events);
  const handlers = createDirectHandlers({
    engine: workspace,
    workspacePath,
    transport: 'ipc',
    version: app.getVersion(),
    events,
    openExternal: (url) => confirmAndOpenExternal(url, getWindow),
    bundles: { host: desktopBundleHost(getWindow) },
  });
  registerIpc(ipcMain, createDispatch(handlers), getWindow, () => watcher.poll());
  forwardEvents(events, getWindow);
  watcher.start(1000);

  const boundsFile = join(userData, 'window-state.json');
  window = new BrowserWindow(windowOptions(join(import.meta.dirname ?? __dirname, 'preload.cjs'), readBounds(boundsFile)));
  window.on('close', () => window && writeBounds(boundsFile, window.getBounds()));
  window.on('closed', () => {
    window = null;
  });
  window.once('ready-to-show', () => window?.show());
  app.on('will-quit', () => {
    watcher.stop();
    void workspace.close();
  });
  await window.loadURL(APP_URL);
}

// Run only inside Electron; tests import this module with a stand-in `electron`.
if (process.versions.electron) void start();
