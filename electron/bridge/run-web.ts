/**
 * Starts `charter web` over a workspace: the direct CharterApi handlers, an audit watcher for
 * live events, and the loopback bridge serving the built renderer. The CLI command, `npm start`
 * (without Electron), the Playwright fixtures and the benchmark all start it here.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AuditWatcher } from '../api/audit-watcher.ts';
import { bundleUploadRoute, UploadSpool } from '../api/bundles/uploads.ts';
import { createDirectHandlers } from '../api/direct.ts';
import { createDispatch } from '../api/dispatch.ts';
import type { EngineHandle } from '../api/engine.ts';
import { EventHub } from '../api/event-hub.ts';
import type { RunningBridge } from './server.ts';
import { startBridge } from './server.ts';

export const RENDERER_DIST = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export interface WebOptions {
  readonly engine: EngineHandle;
  readonly workspacePath: string;
  readonly host?: string;
  readonly port?: number;
  readonly token?: string;
  /** Defaults to dist/renderer when it has been built. */
  readonly staticDir?: string | null;
  /** Where unexpected errors are reported (never to the page). */
  readonly onInternalError?: (operation: string, error: unknown) => void;
}

export interface RunningWeb {
  readonly bridge: RunningBridge;
  readonly events: EventHub;
  readonly staticDir: string | null;
  close(): Promise<void>;
}

export function rendererBuilt(dir: string = RENDERER_DIST): boolean {
  return existsSync(`${dir}/index.html`);
}

export async function startWeb(options: WebOptions): Promise<RunningWeb> {
  const events = new EventHub();
  const watcher = new AuditWatcher(options.engine, events);
  const uploads = new UploadSpool();
  const handlers = createDirectHandlers({ engine: options.engine, workspacePath: options.workspacePath, transport: 'bridge', events, bundles: { uploads } });
  const dispatch = createDispatch(handlers, options.onInternalError);
  const staticDir = options.staticDir === undefined ? (rendererBuilt() ? RENDERER_DIST : null) : options.staticDir;
  const bridge = await startBridge({
    dispatch,
    events,
    host: options.host,
    port: options.port,
    token: options.token,
    staticDir,
    uploads: { 'bundles.open': bundleUploadRoute(uploads) },
    afterCall: () => watcher.poll(),
  });
  watcher.start(1000);
  return {
    bridge,
    events,
    staticDir,
    close: async () => {
      watcher.stop();
      await bridge.close();
      uploads.dispose();
    },
  };
}
