/**
 * The CharterApi over the bridge: POST /api/<operation> with a JSON body, events from the
 * /events WebSocket. Runs in the browser (the renderer) and in Node (tests, benchmarks): the
 * caller passes its own fetch and WebSocket constructor.
 */
import type { CharterApi, Envelope, EventName, EventPayloads, OperationName } from '../api.ts';
import { buildApi, isEventName, unwrap } from '../api.ts';
import { CharterError } from '../errors.ts';

export interface EventSocket {
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  close(): void;
}

export interface HttpApiOptions {
  /** `http://127.0.0.1:PORT`; the page passes its own `location.origin`. */
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  /** Extra headers, e.g. Authorization for programs; the page relies on its cookie instead. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Opens the event socket; omitted means no events. */
  readonly openSocket?: (url: string) => EventSocket;
}

export interface HttpApi {
  readonly api: CharterApi;
  close(): void;
}

export function createHttpApi(options: HttpApiOptions): HttpApi {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let socket: EventSocket | null = null;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const connect = (): void => {
    if (!options.openSocket || closed) return;
    const wsBase = options.baseUrl.replace(/^http/, 'ws');
    socket = options.openSocket(`${wsBase}/events`);
    socket.onmessage = (message) => {
      try {
        const { event, payload } = JSON.parse(String(message.data)) as { event: unknown; payload: unknown };
        if (!isEventName(event)) return;
        for (const listener of listeners.get(event) ?? []) (listener as (p: unknown) => void)(payload);
      } catch {
        // A malformed frame is dropped; the next one may be fine.
      }
    };
    socket.onclose = () => {
      socket = null;
      if (!closed) retry = setTimeout(connect, 1000);
    };
  };

  const call = async (name: OperationName, args: unknown): Promise<unknown> => {
    let response: Response;
    try {
      response = await options.fetch(`${options.baseUrl}/api/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...options.headers },
        body: JSON.stringify(args),
        credentials: 'same-origin',
      });
    } catch {
      throw new CharterError('store_unavailable', 'Charter web is not reachable. Is `charter web` still running? Restart it and reload this page.');
    }
    let envelope: Envelope<unknown>;
    try {
      envelope = (await response.json()) as Envelope<unknown>;
    } catch {
      throw new CharterError('internal', `Charter web answered ${response.status} without a readable body.`);
    }
    return unwrap(envelope);
  };

  const on = <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): (() => void) => {
    if (!socket) connect();
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  };

  return {
    api: buildApi(call, on),
    close: () => {
      closed = true;
      if (retry) clearTimeout(retry);
      socket?.close();
    },
  };
}
