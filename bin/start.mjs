#!/usr/bin/env node
// `npm start`: installs dependencies when they are missing or older than package-lock.json,
// rebuilds what changed since the last build, then opens the desktop app where an Electron
// binary exists and runs; otherwise the same workbench in a browser through `charter web`,
// saying why. Opens nothing it cannot (no browser is launched: the address is printed).
//
// Only Node built-ins here: on a fresh clone this runs before any dependency exists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const args = process.argv.slice(2);

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** The newest modification time of any file under `dirs` (relative to the root). */
function newest(dirs) {
  let latest = -1;
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else latest = Math.max(latest, mtime(path));
    }
  };
  for (const dir of dirs) visit(join(root, dir));
  return latest;
}

function elapsed(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Why dependencies need installing, or '' when node_modules matches package-lock.json. */
function installReason() {
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  // npm writes node_modules/.package-lock.json at the end of every install.
  const installed = mtime(join(root, 'node_modules', '.package-lock.json'));
  if (installed < 0) return 'node_modules was not installed by npm';
  if (installed < mtime(join(root, 'package-lock.json'))) return 'package-lock.json changed since the last install';
  if (!existsSync(vite)) return 'node_modules is incomplete';
  return '';
}

/** The npm that runs us (`npm start` sets npm_execpath), else the one on PATH. */
function npm(npmArgs, env) {
  const cli = process.env.npm_execpath;
  const options = { cwd: root, stdio: 'inherit', env };
  if (cli && /\.[cm]?js$/.test(cli)) return spawnSync(process.execPath, [cli, ...npmArgs], options);
  return spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', npmArgs, { ...options, shell: process.platform === 'win32' });
}

function install() {
  const reason = installReason();
  if (!reason) return;
  const started = Date.now();
  console.log(`Installing dependencies (${reason}): npm ci, with ELECTRON_SKIP_BINARY_DOWNLOAD=1.`);
  console.log('The first install takes a minute or two; better-sqlite3 may compile from source.');
  const result = npm(['ci', '--no-audit', '--no-fund'], { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
  if (result.status !== 0) {
    console.error(`npm ci failed${result.error ? ` (${result.error.message})` : ''}; fix the problem above and run npm start again.`);
    process.exit(result.status || 1);
  }
  console.log(`Dependencies installed in ${elapsed(started)}.`);
}

const BUILDS = {
  renderer: {
    what: 'the renderer',
    output: 'dist/renderer/index.html',
    sources: ['renderer', 'shared'],
    files: ['vite.config.ts', 'package-lock.json'],
    steps: [[]],
  },
  electron: {
    what: 'the Electron main process',
    output: 'dist/electron/main.cjs',
    sources: ['electron', 'shared', 'migrations'],
    files: ['vite.config.ts', 'package-lock.json'],
    steps: [['--mode', 'electron'], ['--mode', 'electron-preload'], ['--mode', 'electron-worker']],
  },
};

/** Builds when the output is missing or any of its sources is newer than it. */
function build(name) {
  const { what, output, sources, files, steps } = BUILDS[name];
  const built = mtime(join(root, output));
  const changed = Math.max(newest(sources), ...files.map((file) => mtime(join(root, file))));
  if (built >= 0 && built >= changed) return;
  const started = Date.now();
  console.log(`Building ${what} (${built < 0 ? 'not built yet' : 'sources changed since the last build'})…`);
  for (const extra of steps) {
    const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', ...extra], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  console.log(`Built ${what} in ${elapsed(started)}.`);
}

/** The Electron binary's path, found without require('electron') (which tries to download it). */
function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { path: null, why: 'the Electron binary was never downloaded (node_modules/electron has no path.txt)' };
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist');
  const path = join(dist, relative);
  if (!existsSync(path)) return { path: null, why: `the Electron binary is missing at ${path}` };
  const probe = spawnSync(path, ['--version'], { timeout: 15_000, encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { path: null, why: `the Electron binary at ${path} does not run (${probe.error?.message ?? `exit ${probe.status}`})` };
  return { path, why: '' };
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

install();
build('renderer');
const electron = electronBinary();
if (electron.path) {
  build('electron');
  run(electron.path, [join(root, 'dist', 'electron', 'main.cjs'), ...args]);
} else {
  console.log(`Starting Charter in the browser instead of the desktop app: ${electron.why}.`);
  console.log('Open the address below in a browser on this computer (it only answers 127.0.0.1).');
  run(process.execPath, [join(root, 'bin', 'charter.mjs'), 'web', ...args]);
}
