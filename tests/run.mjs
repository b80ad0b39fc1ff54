#!/usr/bin/env node
// `npm test`: typecheck (node side, renderer, browser tests), lint, unit + integration tests
// (vitest), the offline packaging check, browser tests (Playwright, when Debian's Chromium is
// installed — always in CI). Ends with one line: N passed, N failed, N skipped.
// `node tests/run.mjs typecheck unit` runs only the steps named.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const only = process.argv.slice(2);
const chromium = process.env.CHARTER_CHROMIUM ?? '/usr/bin/chromium';
const totals = { passed: 0, failed: 0, skipped: 0 };
mkdirSync('.tmp', { recursive: true });

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(label, ok) {
  if (ok) totals.passed++;
  else totals.failed++;
  console.log(`${ok ? '✓' : '✗'} ${label}`);
}

function wanted(step) {
  return only.length === 0 || only.includes(step);
}

if (wanted('typecheck')) {
  check('typecheck (node side)', run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']));
  if (existsSync('tsconfig.web.json') && existsSync('renderer')) {
    check('typecheck (renderer)', run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']));
  }
  if (existsSync('tsconfig.e2e.json')) {
    check('typecheck (browser tests)', run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.e2e.json', '--noEmit']));
  }
}
if (wanted('lint')) check('lint', run('lint', 'npx', ['eslint', '.']));

if (wanted('unit')) {
  const report = '.tmp/vitest-report.json';
  rmSync(report, { force: true });
  const ok = run('unit + integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`]);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    if (!ok && r.numFailedTests === 0) totals.failed++; // a suite failed to load
  } else if (!ok) totals.failed++;
}

if (wanted('package') && existsSync('tests/unit/packaging/package-check.ts')) {
  check('packaging (offline electron-builder --linux dir)', run('packaging', process.execPath, ['--import', 'tsx', 'tests/unit/packaging/package-check.ts']));
}

if (wanted('e2e') && existsSync('playwright.config.ts')) {
  if (!existsSync(chromium)) {
    if (process.env.CI) {
      console.log(`✗ browser tests need ${chromium} (apt-get install -y chromium)`);
      totals.failed++;
    } else console.log(`\n(browser tests skipped: ${chromium} not found; apt-get install -y chromium)`);
  } else {
    const report = '.tmp/playwright-report.json';
    rmSync(report, { force: true });
    const ok = run('browser (Playwright)', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
    if (existsSync(report)) {
      const s = JSON.parse(readFileSync(report, 'utf8')).stats;
      totals.passed += s.expected + (s.flaky ?? 0);
      totals.failed += s.unexpected;
      totals.skipped += s.skipped;
      if (!ok && s.unexpected === 0) totals.failed++;
    } else if (!ok) totals.failed++;
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
