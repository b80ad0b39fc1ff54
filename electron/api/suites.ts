/**
 * Test suites edited in the app: stored per contract in the workspace's settings table (key
 * `suite:<contract>`), and run by the engine's suite runner against the contract's latest version.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestRunReport } from '../../shared/api/types.ts';
import type { ContractVersion, Outcome } from '../../shared/domain.ts';
import type { SuiteResult } from '../engine/testing/results.ts';
import type { OpenSuiteWorkspace } from '../engine/testing/run-suites.ts';
import { runSuiteFile } from '../engine/testing/run-suites.ts';
import type { WorkspaceDatabase } from '../engine/store/schema.ts';
import { first, run } from '../engine/store/sync.ts';

const key = (contract: string): string => `suite:${contract}`;

export function loadSuite(sqlite: BetterSqlite3.Database, db: Kysely<WorkspaceDatabase>, contract: string): string | null {
  return first(sqlite, db.selectFrom('settings').select('value').where('key', '=', key(contract)))?.value ?? null;
}

export function saveSuite(sqlite: BetterSqlite3.Database, db: Kysely<WorkspaceDatabase>, contract: string, source: string): void {
  run(sqlite, db.insertInto('settings').values({ key: key(contract), value: source }).onConflict((oc) => oc.column('key').doUpdateSet({ value: source })));
}

/**
 * Runs a suite against a contract version with the engine's suite runner (the same one as
 * `charter test`): the version's source and the suite go to a scratch folder, the suite's
 * top-level `contract:` line is pointed at that copy (line numbers unchanged), and each case's
 * result comes back with its line so the UI can jump to it.
 */
export async function runContractSuite(version: ContractVersion, suite: string, openWorkspace: OpenSuiteWorkspace): Promise<TestRunReport> {
  const dir = mkdtempSync(join(tmpdir(), 'charter-suite-'));
  try {
    const contractFile = `${version.contract}.yaml`;
    writeFileSync(join(dir, contractFile), version.source);
    const pointed = /^contract:.*$/m.test(suite) ? suite.replace(/^contract:.*$/m, `contract: ./${contractFile}`) : suite;
    const file = join(dir, 'suite.test.yaml');
    writeFileSync(file, pointed);
    const result = await runSuiteFile(file, { openWorkspace });
    return toReport(result);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function toReport(result: SuiteResult): TestRunReport {
  const cases = result.cases.map((c) => {
    const outcomeMismatch = c.mismatches.find((m) => m.field === 'outcome');
    const expected = (outcomeMismatch?.expected ?? c.decision?.outcome ?? 'allow') as Outcome;
    const message = c.error ?? c.mismatches.map((m) => `${m.field}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}`).join('; ');
    return { suite: result.name ?? 'suite', name: c.name, passed: c.status === 'pass', expected, actual: c.decision?.outcome ?? null, message, line: c.location.line };
  });
  const hits = new Map<string, number>();
  for (const c of result.cases) for (const id of c.decision?.rulesEvaluated ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  const coverage = result.ruleIds.map((ruleId) => ({ ruleId, hits: hits.get(ruleId) ?? 0 }));
  const covered = coverage.filter((r) => r.hits > 0).length;
  // Locations point at the scratch copy; the user edits the suite, so keep only line/column.
  const diagnostics = result.diagnostics.map((d) => (d.location ? { ...d, location: { line: d.location.line, column: d.location.column } } : d));
  return {
    passed: cases.filter((c) => c.passed).length,
    failed: cases.filter((c) => !c.passed).length,
    cases,
    coverage,
    coverageRatio: coverage.length === 0 ? 1 : covered / coverage.length,
    diagnostics,
  };
}
