/**
 * The renderer's only door to Charter: `window.charter`, a CharterApi. Under Electron it wraps
 * the preload's `window.charterIpc` (envelopes → values or CharterErrors); in a browser
 * (`charter web`) it is the bridge client. Either way the same object shape.
 */
import type { CharterApi, Envelope, EventName, EventPayloads, OperationName } from '../shared/api.ts';
import { buildApi, splitName, unwrap } from '../shared/api.ts';
import { createHttpApi } from '../shared/api/http-client.ts';
import type { EventSocket } from '../shared/api/http-client.ts';

type IpcBridge = Readonly<Record<string, Readonly<Record<string, (args: unknown) => Promise<Envelope<unknown>>>>>> & {
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) => () => void;
};

declare global {
  interface Window {
    charter?: CharterApi;
    charterIpc?: IpcBridge;
  }
}

function fromIpc(ipc: IpcBridge): CharterApi {
  const call = async (name: OperationName, args: unknown): Promise<unknown> => {
    const [group, method] = splitName(name);
    const fn = ipc[group]?.[method];
    if (!fn) throw new Error(`the preload does not offer ${name}`);
    return unwrap(await fn(args));
  };
  return buildApi(call, (event, listener) => ipc.on(event, listener));
}

export function installApi(): CharterApi {
  if (!window.charter) {
    window.charter = window.charterIpc
      ? fromIpc(window.charterIpc)
      : createHttpApi({
          baseUrl: window.location.origin,
          fetch: window.fetch.bind(window),
          openSocket: (url) => new WebSocket(url) as unknown as EventSocket,
        }).api;
  }
  return window.charter;
}

export function charter(): CharterApi {
  return window.charter ?? installApi();
}
