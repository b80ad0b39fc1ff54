#!/usr/bin/env node
// `npm start`: the desktop app where an Electron binary exists and runs; otherwise the same
// workbench in a browser through `charter web`, saying why. Never downloads anything, and opens
// nothing it cannot (no browser is launched: the address is printed).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const args = process.argv.slice(2);

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

function build(mode, output) {
  if (existsSync(join(root, output))) return;
  console.log(`Building ${mode === 'renderer' ? 'the renderer' : 'the Electron main process'}…`);
  const steps = mode === 'renderer' ? [[]] : [['--mode', 'electron'], ['--mode', 'electron-preload'], ['--mode', 'electron-worker']];
  for (const extra of steps) {
    const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', ...extra], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

build('renderer', 'dist/renderer/index.html');
const electron = electronBinary();
if (electron.path) {
  build('electron', 'dist/electron/main.cjs');
  run(electron.path, [join(root, 'dist', 'electron', 'main.cjs'), ...args]);
} else {
  console.log(`Starting Charter in the browser instead of the desktop app: ${electron.why}.`);
  console.log('Open the address below in a browser on this computer (it only answers 127.0.0.1).');
  run(process.execPath, [join(root, 'bin', 'charter.mjs'), 'web', ...args]);
}
