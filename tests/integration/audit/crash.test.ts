import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChainSync } from '../../../electron/engine/audit/verify.ts';
import { openWorkspaceDatabase } from '../../../electron/engine/store/database.ts';

const KILLS = 20;
const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(join(tmpdir(), 'charter-crash-'));
const dbPath = join(dir, 'workspace.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly reported: readonly number[];
  readonly sawReady: boolean;
}

/** Starts the child, SIGKILLs it `delayMs` after it is ready (or after spawn), returns what it reported. */
function runAndKill(delayMs: number, afterReady: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD, dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = (): void => {
      timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (afterReady && out.includes('ready\n')) kill();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    if (!afterReady) kill();
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') {
        reject(new Error(`child exited by itself (code ${code}): ${err}`));
        return;
      }
      // Only complete lines count: a line cut by the kill was never fully reported.
      const lines = out.split('\n').slice(0, -1);
      resolve({ reported: lines.filter((l) => l !== 'ready').map(Number), sawReady: lines.includes('ready') });
    });
  });
}

describe('audit trail under kill -9', () => {
  it(`loses no committed event and still verifies after ${KILLS} SIGKILLs`, { timeout: 90_000 }, async () => {
    const started = performance.now();
    let everReported = 0;
    let killedWhileAppending = 0;
    for (let round = 0; round < KILLS; round++) {
      // Mostly mid-append; every fourth kill lands at a random moment from spawn (maybe mid-open).
      const afterReady = round % 4 !== 3;
      const run = await runAndKill(afterReady ? 20 + Math.random() * 200 : Math.random() * 700, afterReady);
      if (run.reported.length > 0) killedWhileAppending++;
      everReported = Math.max(everReported, ...run.reported);

      const db = await openWorkspaceDatabase(dbPath);
      try {
        const verification = verifyChainSync(db);
        expect(verification.firstBad).toBeNull();
        expect(verification.ok).toBe(true);
        const present = db.sqlite.prepare('select seq from audit_events where seq in (select value from json_each(?))').pluck();
        const found = new Set(present.all(JSON.stringify(run.reported)) as number[]);
        expect(run.reported.filter((seq) => !found.has(seq))).toEqual([]);
        // Nothing earlier went missing either: the chain is gapless from 1 to the head.
        expect(verification.eventsChecked).toBeGreaterThanOrEqual(everReported);
      } finally {
        await db.close();
      }
    }
    expect(killedWhileAppending).toBeGreaterThanOrEqual(KILLS / 2);
    expect(performance.now() - started).toBeLessThan(85_000);
  });
});
