/**
 * `npm run package:check`: packages the desktop app offline the way electron-builder.yml says,
 * then checks what a user would get.
 *
 * 1. Builds dist/ (renderer, main, preload, workers) into a scratch copy of the project, so the
 *    shared checkout's dist/ is left alone.
 * 2. Runs electron-builder `--linux dir` with a stand-in `electron` executable (no download) and
 *    npmRebuild off (no Electron headers here).
 * 3. Reads resources/app.asar: the main bundle, the preload, the renderer, the workers,
 *    policies/ and migrations/ are inside; better_sqlite3.node is in app.asar.unpacked.
 * 4. Extracts the archive and boots the packaged main.cjs under Node with a stand-in `electron`
 *    module: the workspace opens, the default contract is seeded from the packaged policies/,
 *    the migrations' checksums are read from the packaged files, charter://app serves the
 *    packaged page, and audit.verify over IPC runs the packaged worker.
 *
 * Prints one line per check and exits 1 when any fails. Takes 20–45 s (most of it the Vite
 * builds), too long for the vitest suite, so `npm test` runs it as a step of its own.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  extractAll(archive: string, dest: string): void;
};

const root = fileURLToPath(new URL('../../../', import.meta.url));
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const builder = join(root, 'node_modules', 'electron-builder', 'cli.js');

interface Check {
  readonly label: string;
  readonly ok: boolean;
  readonly detail?: string;
}

/**
 * The environment a release build runs in: with NODE_ENV set to anything but production (vitest
 * sets `test`) Vite builds something other than a release (ws's optional peers become throwing
 * stubs, for one).
 */
function buildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  for (const name of Object.keys(env)) if (name === 'NODE_ENV' || name.startsWith('VITEST')) delete env[name];
  return env;
}

function step(label: string, command: string, args: readonly string[], cwd: string): void {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: buildEnv() });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}\n${result.stderr}\n`);
    throw new Error(`${label} failed (exit ${result.status ?? result.signal})`);
  }
  process.stdout.write(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/** A copy of what electron-builder packages, with dist/ built fresh; node_modules is linked. */
function stage(dir: string): void {
  for (const entry of ['package.json', 'electron-builder.yml', 'policies', 'migrations']) cpSync(join(root, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const builds: readonly (readonly string[])[] = [
    ['--outDir', join(dir, 'dist', 'renderer')],
    ['--mode', 'electron', '--outDir', join(dir, 'dist', 'electron')],
    ['--mode', 'electron-preload', '--outDir', join(dir, 'dist', 'electron')],
    ['--mode', 'electron-worker', '--outDir', join(dir, 'dist', 'electron')],
  ];
  for (const extra of builds) step(`vite build ${extra[0] === '--mode' ? extra[1] : 'renderer'}`, process.execPath, [vite, 'build', '--logLevel', 'warn', ...extra], root);
}

/** A folder holding an executable named `electron`, standing in for Electron's distribution. */
function standInElectron(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, 'electron');
  writeFileSync(exe, '#!/bin/sh\necho "stand-in electron: not runnable"\nexit 1\n');
  chmodSync(exe, 0o755);
  return dir;
}

function contentChecks(archive: string): Check[] {
  const listing = new Map<string, boolean>();
  for (const line of asar.listPackage(archive, { isPack: true })) {
    const match = /^(pack|unpack)\s*:\s*(.*)$/.exec(line);
    if (match?.[2]) listing.set(match[2].replace(/\\/g, '/'), match[1] === 'unpack');
  }
  const has = (path: string, unpacked = false): Check => ({
    label: `${unpacked ? 'app.asar.unpacked' : 'app.asar'} holds ${path}`,
    ok: listing.get(path) === unpacked && existsSync(unpacked ? join(`${archive}.unpacked`, path) : archive),
  });
  const migrations = readFileSync(join(root, 'electron', 'engine', 'store', 'workbench-migrations.ts'), 'utf8')
    .match(/'\d{4}_[a-z0-9_]+\.ts'/g)?.map((name) => `/migrations/workbench/${name.slice(1, -1)}`) ?? [];
  const files = [...listing.keys()];
  return [
    has('/package.json'),
    has('/dist/electron/main.cjs'),
    has('/dist/electron/preload.cjs'),
    has('/dist/electron/verify-worker.js'),
    has('/dist/electron/bundle-verify-worker.js'),
    has('/dist/electron/bundle-export-worker.js'),
    has('/dist/renderer/index.html'),
    { label: 'app.asar holds the renderer scripts', ok: files.some((f) => /^\/dist\/renderer\/assets\/.+\.js$/.test(f)) },
    has('/policies/catalog.yaml'),
    has('/policies/default/chat-assistant.yaml'),
    ...migrations.map((m) => has(m)),
    has('/node_modules/better-sqlite3/build/Release/better_sqlite3.node', true),
    { label: 'no source maps, no other node_modules', ok: !files.some((f) => f.endsWith('.map') || /^\/node_modules\/(?!better-sqlite3|bindings|file-uri-to-path)[^/]+$/.test(f)) },
  ];
}

/**
 * Runs the packaged main.cjs under Node with a stand-in `electron` whose `app.whenReady`
 * resolves at once, so main.ts's start() runs as it would in Electron, against `userData`.
 */
const HARNESS = String.raw`
const Module = require('node:module');
const [app, userData] = process.argv.slice(2);
let served;
const recorded = { protocol: null, loaded: null, handlers: new Map(), window: null };
const stub = {
  app: {
    requestSingleInstanceLock: () => true, on() {}, quit() {}, whenReady: async () => {},
    getPath: () => userData, getVersion: () => '0.0.0-check',
  },
  BrowserWindow: class {
    constructor() { recorded.window = this; this.webContents = { mainFrame: { url: 'charter://app/index.html' }, send() {}, isDestroyed: () => false }; }
    on() {} once() {} getBounds() { return {}; } isMinimized() { return false; } isDestroyed() { return false; }
    async loadURL(url) { recorded.loaded = url; finish(); } },
  ipcMain: { handle(channel, fn) { recorded.handlers.set(channel, fn); }, removeHandler() {} },
  protocol: { registerSchemesAsPrivileged() {}, handle(scheme, fn) { recorded.protocol = fn; } },
  session: { defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, on() {}, webRequest: { onHeadersReceived() {} } } },
  dialog: { showMessageBox: async () => ({ response: 1 }) },
  shell: { openExternal: async () => {} },
};
const load = Module._load;
Module._load = function (request, parent, isMain) { return request === 'electron' ? stub : load.call(this, request, parent, isMain); };
Object.defineProperty(process.versions, 'electron', { value: '45.4.1', enumerable: true, configurable: true });
async function finish() {
  const page = await recorded.protocol(new Request('charter://app/index.html'));
  const body = await page.text();
  // The page's first IPC call, as our window's main frame: verification runs the packaged worker.
  const contents = recorded.window.webContents;
  const verify = await recorded.handlers.get('charter:audit.verify')({ sender: contents, senderFrame: contents.mainFrame }, { operationId: 'package-check' });
  const Database = require(app + '/node_modules/better-sqlite3');
  const db = new Database(userData + '/workspace.db', { readonly: true, nativeBinding: app + '/node_modules/better-sqlite3/build/Release/better_sqlite3.node' });
  const active = db.prepare("select contract, version from contract_versions where status = 'active'").all();
  const checksums = db.prepare('select name, checksum from charter_migrations order by name').all();
  db.close();
  process.stdout.write(JSON.stringify({ loaded: recorded.loaded, status: page.status, root: body.includes('<div id="root">'), active, checksums, verify }));
  process.exit(0);
}
process.on('unhandledRejection', (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(2); });
setTimeout(() => { process.stderr.write('main.cjs did not load the window within 20 s'); process.exit(3); }, 20000).unref();
require(app + '/dist/electron/main.cjs');
`;

interface BootReport {
  readonly loaded: string;
  readonly status: number;
  readonly root: boolean;
  readonly active: readonly { contract: string; version: number }[];
  readonly checksums: readonly { name: string; checksum: string }[];
  readonly verify: { readonly ok: boolean; readonly value?: { readonly ok: boolean; readonly eventsChecked: number } };
}

function bootChecks(archive: string, scratch: string): Check[] {
  const app = join(scratch, 'extracted');
  const userData = join(scratch, 'user-data');
  mkdirSync(userData, { recursive: true });
  asar.extractAll(archive, app);
  const harness = join(scratch, 'harness.cjs');
  writeFileSync(harness, HARNESS);
  const result = spawnSync(process.execPath, [harness, app, userData], { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) return [{ label: 'the packaged main.cjs starts (stand-in electron)', ok: false, detail: result.stderr || `exit ${result.status}` }];
  const report = JSON.parse(result.stdout) as BootReport;
  return [
    { label: 'the packaged main.cjs starts and loads charter://app/index.html', ok: report.loaded === 'charter://app/index.html' },
    { label: 'charter://app serves the packaged page', ok: report.status === 200 && report.root },
    {
      label: 'a new workspace is seeded with the packaged default contract',
      ok: report.active.some((v) => v.contract === 'chat-assistant'),
      detail: JSON.stringify(report.active),
    },
    {
      label: 'migration checksums come from the packaged migration files (sha256:, not fn-sha256:)',
      ok: report.checksums.length > 0 && report.checksums.every((c) => c.checksum.startsWith('sha256:')),
      detail: JSON.stringify(report.checksums),
    },
    {
      label: 'audit.verify over IPC runs the packaged verification worker',
      ok: report.verify.ok && report.verify.value?.ok === true && report.verify.value.eventsChecked > 0,
      detail: JSON.stringify(report.verify),
    },
  ];
}

/** Builds, packages and checks in a scratch folder (removed afterwards); one Check per property. */
function checkOfflinePackage(): readonly Check[] {
  const scratch = mkdtempSync(join(tmpdir(), 'charter-package-'));
  try {
    const project = join(scratch, 'project');
    mkdirSync(project);
    stage(project);
    const electronDist = standInElectron(join(scratch, 'electron-dist'));
    const output = join(scratch, 'release');
    step('electron-builder --linux dir', process.execPath, [builder, '--linux', 'dir', '--publish', 'never',
      `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', `-c.directories.output=${output}`], project);
    const archive = join(output, 'linux-unpacked', 'resources', 'app.asar');
    return existsSync(archive) ? [...contentChecks(archive), ...bootChecks(archive, scratch)] : [{ label: 'resources/app.asar exists', ok: false }];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main(): number {
  const started = Date.now();
  process.stdout.write('Packaging offline (electron-builder --linux dir, stand-in Electron, no native rebuild)\n');
  const checks = checkOfflinePackage();
  for (const c of checks) process.stdout.write(`${c.ok ? '✓' : '✗'} ${c.label}${c.ok || !c.detail ? '' : `\n    ${c.detail}`}\n`);
  const failed = checks.filter((c) => !c.ok).length;
  process.stdout.write(`${checks.length - failed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
