/**
 * The workbench, measured:
 * - api_roundtrip_p50_us: one CharterApi call (settings.get) over the loopback bridge (HTTP,
 *   token, JSON, validation) against the same call made directly in-process;
 * - web_first_render_ms: Debian Chromium, from navigation to the Contracts screen interactive
 *   (list loaded), median of a few loads;
 * - the audit timeline with a large trail (1,000,000 events; 100,000 with --quick): JS heap used
 *   after scrolling to many far-apart positions, against the heap right after first render.
 *   Flat means the virtual list keeps only the visible window.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { createDirectApi } from '../../../electron/api/direct.ts';
import { RENDERER_DIST, rendererBuilt, startWeb } from '../../../electron/bridge/run-web.ts';
import { openWorkspace } from '../../../electron/engine/workspace.ts';
import type { Workspace } from '../../../electron/engine/workspace.ts';
import { GENESIS_DIGEST, eventHeaderBytes } from '../../../shared/audit.ts';
import { createHttpApi } from '../../../shared/api/http-client.ts';
import type { BenchSection } from './section.ts';
import { percentile, ratio } from './stats.ts';

const CHROMIUM = process.env.CHARTER_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A keep-alive node:http POST, so the figure is the bridge's cost rather than fetch's. */
function keepAlivePost(origin: string, token: string): (path: string, body: string) => Promise<unknown> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(origin);
  return (path, body) =>
    new Promise((resolve, reject) => {
      const req = request({ agent, hostname, port, path, method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      });
      req.on('error', reject);
      req.end(body);
    });
}

async function roundTrips(call: () => Promise<unknown>, n: number): Promise<number> {
  for (let i = 0; i < Math.min(50, n); i++) await call();
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await call();
    samples[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  return percentile(samples, 0.5);
}

/** Appends `count` chained decision headers straight into the table (payload-free, fast). */
function fillTrail(workspace: Workspace, count: number): void {
  const sqlite = workspace.db.sqlite;
  const head = sqlite.prepare('select seq, digest from audit_events order by seq desc limit 1').get() as { seq: number; digest: string } | undefined;
  const insert = sqlite.prepare('insert into audit_events (seq, ts, type, agent_id, action, outcome, trace_id, payload_hash, prev_digest, digest) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const outcomes = ['allow', 'allow', 'deny', 'escalate'] as const;
  const actions = ['stream_chat', 'present_chart', 'submit_form', 'tool:search_kb'];
  let prev = head?.digest ?? GENESIS_DIGEST;
  let seq = head?.seq ?? 0;
  const start = Date.UTC(2025, 0, 1);
  const payloadHash = 'e'.repeat(64);
  const batch = sqlite.transaction((n: number) => {
    for (let i = 0; i < n; i++) {
      seq += 1;
      const header = { seq, ts: new Date(start + seq * 1000).toISOString(), type: 'decision' as const, agentId: `agent-${seq % 50}`, action: actions[seq % 4] as string, outcome: outcomes[seq % 4] as (typeof outcomes)[number], traceId: null, payloadHash };
      const digest = createHash('sha256').update(prev + eventHeaderBytes(header)).digest('hex');
      insert.run(seq, header.ts, header.type, header.agentId, header.action, header.outcome, null, payloadHash, prev, digest);
      prev = digest;
    }
  });
  for (let done = 0; done < count; done += 50_000) batch(Math.min(50_000, count - done));
}

async function heapUsedMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return Math.round((usedSize / 1024 / 1024) * 10) / 10;
}

export const webSection: BenchSection = {
  name: 'web',
  async run({ quick, log }) {
    const dir = mkdtempSync(join(tmpdir(), 'charter-bench-web-'));
    const workspace = await openWorkspace(join(dir, 'workspace.db'), { actor: 'bench' });
    const figures: Record<string, number | string> = {};
    try {
      // --- API round trip: bridge vs direct ---------------------------------------------------
      const web = await startWeb({ engine: workspace, workspacePath: workspace.path, staticDir: rendererBuilt() ? RENDERER_DIST : null });
      const http = createHttpApi({ baseUrl: web.bridge.origin, fetch, headers: { Authorization: `Bearer ${web.bridge.token}` } });
      const direct = createDirectApi({ engine: workspace, workspacePath: workspace.path, transport: 'direct' }).api;
      const n = quick ? 300 : 3000;
      const post = keepAlivePost(web.bridge.origin, web.bridge.token);
      const overBridge = await roundTrips(() => post('/api/settings.get', '{}'), n);
      const overFetch = await roundTrips(() => http.api.settings.get({}), n);
      const directly = await roundTrips(() => direct.settings.get({}), n);
      figures.api_roundtrip_p50_us = Math.round(overBridge);
      figures.api_roundtrip_fetch_client_p50_us = Math.round(overFetch);
      figures.api_roundtrip_direct_p50_us = Math.round(directly * 10) / 10;
      figures.api_roundtrip_bridge_vs_direct = ratio(overBridge, directly);
      log(`api round trip p50: bridge ${overBridge.toFixed(0)} µs (keep-alive node:http; ${overFetch.toFixed(0)} µs with the fetch client), direct ${directly.toFixed(1)} µs (×${figures.api_roundtrip_bridge_vs_direct})`);

      // --- browser ---------------------------------------------------------------------------
      if (!existsSync(CHROMIUM)) {
        log(`no Chromium at ${CHROMIUM}: browser figures skipped (apt-get install -y chromium)`);
        await web.close();
        return figures;
      }
      if (!rendererBuilt()) {
        log('building the renderer (vite build)…');
        execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
        await web.close();
        return { ...figures, ...(await webSection.run({ quick, log })) };
      }
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        const page = await context.newPage();
        const renders: number[] = [];
        for (let i = 0; i < (quick ? 2 : 7); i++) {
          const started = performance.now();
          await page.goto(web.bridge.url);
          await page.waitForSelector('[data-testid="contracts-screen"][data-ready="true"]');
          renders.push(performance.now() - started);
        }
        figures.web_first_render_ms = Math.round(percentile(renders, 0.5));
        figures.web_first_render_cold_ms = Math.round(renders[0] as number);
        log(`first render: median ${figures.web_first_render_ms} ms (cold ${figures.web_first_render_cold_ms} ms; target ≤ 1000)`);

        // --- timeline with a large trail -------------------------------------------------------
        const events = quick ? 100_000 : 1_000_000;
        const filled = performance.now();
        fillTrail(workspace, events);
        log(`trail filled with ${events.toLocaleString('en-US')} events in ${((performance.now() - filled) / 1000).toFixed(1)} s`);
        await page.getByRole('navigation').getByRole('button', { name: 'Audit' }).click();
        await page.waitForSelector('[data-testid="timeline"] .trow[data-seq]');
        const before = await heapUsedMb(page);
        const scroller = page.getByTestId('timeline-scroll');
        const jumps = quick ? 15 : 60;
        const frames: number[] = [];
        for (let j = 0; j < jumps; j++) {
          const t = performance.now();
          await scroller.evaluate((el, share) => {
            el.scrollTop = (el.scrollHeight - el.clientHeight) * share;
          }, ((j * 7919) % jumps) / jumps);
          // A function, not a string: the page's CSP forbids eval. Typed without the DOM library.
          await page.waitForFunction(() => {
            const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ hasAttribute(n: string): boolean }> } }).document;
            const rows = Array.from(doc.querySelectorAll('[data-testid="timeline"] .trow:not(.head)'));
            return rows.length > 0 && rows.every((r) => r.hasAttribute('data-seq'));
          });
          frames.push(performance.now() - t);
        }
        const after = await heapUsedMb(page);
        figures.web_timeline_events = events;
        figures.web_timeline_heap_mb_start = before;
        figures.web_timeline_heap_mb = after;
        figures.web_timeline_jump_p50_ms = Math.round(percentile(frames, 0.5));
        log(`timeline ${events.toLocaleString('en-US')} events: JS heap ${before} MB → ${after} MB after ${jumps} far jumps (target flat, < 150 MB); jump to loaded rows p50 ${figures.web_timeline_jump_p50_ms} ms`);
      } finally {
        await browser.close();
      }
      await web.close();
      http.close();
    } finally {
      await workspace.close();
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
