import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A stand-in `electron` (the binary cannot run here): safeStorage with a switchable backend, and
// save/open dialogs that answer with paths the test chooses.
const electron = vi.hoisted(() => ({
  available: true,
  backend: 'basic_text',
  savePath: '' as string,
  openPath: '' as string,
}));

vi.mock('electron', () => ({
  app: { requestSingleInstanceLock: () => true, on: () => {}, quit: () => {}, whenReady: async () => {}, getPath: () => tmpdir(), getVersion: () => '0.0.0' },
  BrowserWindow: class {},
  ipcMain: { handle: () => {}, removeHandler: () => {} },
  protocol: { registerSchemesAsPrivileged: () => {}, handle: () => {} },
  session: { defaultSession: {} },
  shell: { openExternal: async () => {} },
  dialog: {
    showMessageBox: async () => ({ response: 1 }),
    showSaveDialog: async () => ({ canceled: electron.savePath === '', filePath: electron.savePath }),
    showOpenDialog: async () => ({ canceled: electron.openPath === '', filePaths: electron.openPath ? [electron.openPath] : [] }),
  },
  safeStorage: {
    isEncryptionAvailable: () => electron.available,
    getSelectedStorageBackend: () => electron.backend,
    // Reversible but not plain: enough to see the key never lands as clear text.
    encryptString: (text: string) => Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (sealed: Buffer) => Buffer.from(sealed.map((b) => b ^ 0x5a)).toString('utf8'),
  },
}));

const { appKeychain, desktopBundleHost } = await import('../../../electron/main.ts');
const { createDirectApi } = await import('../../../electron/api/direct.ts');
const { openWorkspace } = await import('../../../electron/engine/workspace.ts');

type Workspace = Awaited<ReturnType<typeof openWorkspace>>;
let workspace: Workspace;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'charter-keychain-'));
  workspace = await openWorkspace(join(dir, 'w.db'), { actor: 'test' });
  electron.available = true;
  electron.savePath = '';
  electron.openPath = '';
});
afterEach(async () => {
  await workspace.close();
  rmSync(dir, { recursive: true, force: true });
});

const desktopApi = () => createDirectApi({
  engine: workspace, workspacePath: workspace.path, transport: 'ipc', bundles: { host: desktopBundleHost(() => null), passphraseCostLog2: 10 },
}).api;

describe('signing keys in the desktop app (safeStorage)', () => {
  it('refuses the basic_text backend in words and asks for a passphrase instead', async () => {
    electron.backend = 'basic_text';
    const keychain = appKeychain();
    expect(keychain.box).toBeNull();
    expect(keychain.problem).toMatch(/basic_text.*plain text/);
    const api = desktopApi();
    const status = await api.keys.status({});
    expect(status).toMatchObject({ backend: 'passphrase', needsPassphrase: true });
    expect(status.keychainProblem).toMatch(/basic_text/);
    await expect(api.keys.create({})).rejects.toMatchObject({ code: 'invalid_argument', diagnostics: [{ pointer: '/passphrase' }] });
    expect(await api.keys.create({ passphrase: 'a long passphrase' })).toMatchObject({ box: 'passphrase' });
  });

  it('refuses when encryption is not available at all', async () => {
    electron.available = false;
    electron.backend = 'gnome_libsecret';
    expect(appKeychain().box).toBeNull();
    expect((await desktopApi().keys.status({})).backend).toBe('passphrase');
  });

  it('uses the keychain when it protects secrets: no passphrase, export to the dialog\'s path, open from the dialog', async () => {
    electron.backend = 'gnome_libsecret';
    const api = desktopApi();
    await expect(api.keys.create({ passphrase: 'not needed here' })).rejects.toMatchObject({ code: 'invalid_argument' });
    const key = await api.keys.create({});
    expect(key.box).toBe('safestorage');
    expect(await api.keys.status({})).toMatchObject({ hasKey: true, backend: 'keychain', needsPassphrase: false, keychainProblem: null });
    const sealed = workspace.db.sqlite.prepare('select sealed_private from signing_keys').pluck().get() as Buffer;
    expect(Buffer.from(sealed).toString('utf8')).not.toContain('"d"');

    await api.governance.simulate({ request: { action: 'stream_chat' } });
    electron.savePath = join(dir, 'q1');
    const result = await api.bundles.export({ operationId: 'e2' });
    expect(result).toMatchObject({ cancelled: false, fileName: 'q1.charter', location: join(dir, 'q1.charter') });
    expect(existsSync(join(dirname(workspace.path), 'exports'))).toBe(false);

    electron.openPath = join(dir, 'q1.charter');
    const opened = await api.bundles.open({ operationId: 'o1' });
    expect(opened.check).toMatchObject({ ok: true, fileName: 'q1.charter', signers: [key.kid] });
    electron.openPath = '';
    expect(await api.bundles.open({ operationId: 'o2' })).toMatchObject({ cancelled: true, check: null });
  });

  it('says when the user closes the save dialog instead of exporting', async () => {
    electron.backend = 'kwallet5';
    const api = desktopApi();
    await api.keys.create({});
    expect(await api.bundles.export({ operationId: 'e3' })).toMatchObject({ cancelled: true, exportId: null });
  });
});
