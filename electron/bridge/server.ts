/**
 * `charter web`: the CharterApi over loopback HTTP (POST /api/<operation>, JSON envelope) and a
 * WebSocket (GET /events) for events, serving the built renderer with the app's CSP.
 *
 * The token: printed once as `/?token=…`. That first page load trades it for an HttpOnly,
 * SameSite=Strict cookie and redirects to the bare URL, so the token leaves the address bar
 * (no history, no Referer — which is also `no-referrer`) and page scripts never hold it.
 * Programs use `Authorization: Bearer`. Nothing here logs a URL or a header.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { EventName } from '../../shared/api.ts';
import { EVENT_NAMES, toWireError } from '../../shared/api.ts';
import { SECURITY_HEADERS } from '../../shared/api/csp.ts';
import type { CharterErrorCode } from '../../shared/errors.ts';
import { CharterError } from '../../shared/errors.ts';
import type { Dispatch } from '../api/dispatch.ts';
import type { EventHub } from '../api/event-hub.ts';
import { ALLOWED_BIND_HOSTS, authorize, cookieName, newToken } from './auth.ts';
import { resolveStatic, sendFile } from './static-files.ts';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * An operation that also takes raw bytes (a bundle to verify, `Content-Type:
 * application/octet-stream`): its own size limit instead of the JSON limit; `receive` consumes the
 * bounded body and returns the operation's arguments (query parameters carry the small ones).
 */
export interface UploadRoute {
  readonly limit: number;
  receive(body: AsyncIterable<Uint8Array>, query: URLSearchParams): Promise<unknown>;
}

export interface BridgeOptions {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  /** Only 127.0.0.1 is accepted; anything else refuses to start. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Fixed token for tests; by default 32 fresh random bytes. */
  readonly token?: string;
  /** The built renderer (vite build output); null serves the API only. */
  readonly staticDir?: string | null;
  readonly bodyLimit?: number;
  /** Operations that accept a binary body, by name; every other route stays JSON at bodyLimit. */
  readonly uploads?: Readonly<Record<string, UploadRoute>>;
  /** Called after every API call (the audit watcher polls here). */
  readonly afterCall?: () => void;
}

export interface RunningBridge {
  readonly origin: string;
  /** The address to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const STATUS_BY_CODE: Readonly<Partial<Record<CharterErrorCode, number>>> = {
  invalid_argument: 400,
  invalid_contract: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthorized: 401,
  too_large: 413,
  cancelled: 409,
  store_unavailable: 503,
};

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const host = options.host ?? '127.0.0.1';
  if (!ALLOWED_BIND_HOSTS.includes(host)) {
    throw new CharterError('forbidden', `charter web only listens on 127.0.0.1, never on "${host}": it serves your workspace to whoever can reach it.`);
  }
  const token = options.token ?? newToken();
  if (token.length < 16) throw new CharterError('invalid_argument', 'The bridge token must be at least 16 characters.');
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const staticDir = options.staticDir ? resolve(options.staticDir) : null;
  let port = 0;

  const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(text);
  };
  const refuse = (res: ServerResponse, status: number, code: CharterErrorCode, message: string): void => {
    sendJson(res, status, { ok: false, error: { code, message, diagnostics: [] } });
  };

  const facts = (req: IncomingMessage) => ({
    remoteAddress: req.socket.remoteAddress,
    host: req.headers.host,
    authorization: req.headers.authorization,
    cookie: req.headers.cookie,
    origin: req.headers.origin,
  });

  const tooLargeBody = (res: ServerResponse, limit: number): void => {
    res.setHeader('Connection', 'close');
    refuse(res, 413, 'too_large', `The request body is over ${limit} bytes.`);
  };

  /** Streams a binary body (at most `route.limit` bytes) to the route, then dispatches as usual. */
  const handleUpload = async (req: IncomingMessage, res: ServerResponse, name: string, route: UploadRoute, query: URLSearchParams): Promise<void> => {
    if (Number(req.headers['content-length'] ?? 0) > route.limit) {
      tooLargeBody(res, route.limit);
      req.resume();
      return;
    }
    let over = false;
    async function* bounded(): AsyncIterable<Uint8Array> {
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > route.limit) {
          over = true;
          throw new CharterError('too_large', `The request body is over ${route.limit} bytes.`);
        }
        yield chunk;
      }
    }
    let args: unknown;
    try {
      args = await route.receive(bounded(), query);
    } catch (error) {
      if (over || (error instanceof CharterError && error.code === 'too_large')) return tooLargeBody(res, route.limit);
      throw error;
    }
    const envelope = await options.dispatch(name, args);
    sendJson(res, envelope.ok ? 200 : (STATUS_BY_CODE[envelope.error.code] ?? 500), envelope);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, name: string, query: URLSearchParams): Promise<void> => {
    if (req.method !== 'POST') return refuse(res, 405, 'invalid_argument', 'API calls are POST requests.');
    const upload = options.uploads?.[name];
    if (upload && (req.headers['content-type'] ?? '').startsWith('application/octet-stream')) return handleUpload(req, res, name, upload, query);
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return refuse(res, 415, 'invalid_argument', 'API calls carry a JSON body (Content-Type: application/json).');
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > bodyLimit) {
      res.setHeader('Connection', 'close');
      refuse(res, 413, 'too_large', `The request body is over ${bodyLimit} bytes.`);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > bodyLimit) {
        tooLarge = true;
        break;
      }
      chunks.push(chunk);
    }
    if (tooLarge) {
      res.setHeader('Connection', 'close');
      return refuse(res, 413, 'too_large', `The request body is over ${bodyLimit} bytes.`);
    }
    let args: unknown;
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      args = text.length === 0 ? {} : JSON.parse(text);
    } catch {
      return refuse(res, 400, 'invalid_argument', 'The request body is not valid JSON.');
    }
    const envelope = await options.dispatch(name, args);
    try {
      options.afterCall?.();
    } catch {
      // Event delivery must never fail the call that caused it.
    }
    sendJson(res, envelope.ok ? 200 : (STATUS_BY_CODE[envelope.error.code] ?? 500), envelope);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const queryToken = url.searchParams.get('token');
    // The printed URL: trade the token for a cookie and drop it from the address bar.
    if (req.method === 'GET' && queryToken !== null && !url.pathname.startsWith('/api/')) {
      const verdict = authorize({ ...facts(req), authorization: `Bearer ${queryToken}` }, port, token);
      if (!verdict.ok) return refuse(res, verdict.status, verdict.status === 401 ? 'unauthorized' : 'forbidden', verdict.message);
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    const verdict = authorize(facts(req), port, token);
    if (!verdict.ok) return refuse(res, verdict.status, verdict.status === 401 ? 'unauthorized' : 'forbidden', verdict.message);

    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname.slice('/api/'.length), url.searchParams);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'invalid_argument', 'Only GET is served here.');
    if (!staticDir) return refuse(res, 404, 'not_found', 'This bridge serves the API only (no renderer build).');
    const file = resolveStatic(staticDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (file) return sendFile(res, file, SECURITY_HEADERS);
    // App routes (anything without a file extension) get the page; missing assets get 404.
    if (!/\.[a-z0-9]+$/i.test(url.pathname)) {
      const index = resolveStatic(staticDir, '/index.html');
      if (index) return sendFile(res, index, SECURITY_HEADERS);
      return refuse(res, 503, 'not_found', 'The renderer is not built: run `npm run build:web`.');
    }
    refuse(res, 404, 'not_found', 'No such file.');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: toWireError(error) });
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Browsers always send Origin on WebSocket handshakes; require it to be ours (no cross-site hijack).
    const verdict = url.pathname === '/events' ? authorize(facts(req), port, token) : ({ ok: false, status: 403, message: 'no such endpoint' } as const);
    if (!verdict.ok) {
      socket.end(`HTTP/1.1 ${verdict.status} ${verdict.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('message', () => {
        // The event channel is one-way; calls go through POST /api.
      });
    });
  });
  const unsubscribe = EVENT_NAMES.map((event: EventName) =>
    options.events.on(event, (payload) => {
      const message = JSON.stringify({ event, payload });
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(message);
    }),
  );

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE'
        ? new CharterError('conflict', `Port ${options.port} on ${host} is already in use: choose another with --port, or leave it out to get a free one.`)
        : new CharterError('store_unavailable', `charter web could not listen on ${host}: ${error.message}`));
    });
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: `${origin}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const off of unsubscribe) off();
      for (const ws of clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
