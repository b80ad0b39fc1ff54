/**
 * What the sandboxed page gets from Electron: `window.charterIpc`, one real method per
 * CharterApi operation (built by iterating the operation table, each bound to its own IPC
 * channel) plus `on` for known events. Nothing generic (no `invoke(channel, …)`, no
 * ipcRenderer) reaches the page.
 *
 * The methods resolve to envelopes rather than throwing, because contextBridge drops custom
 * properties of thrown errors; the renderer turns them into `window.charter` (a CharterApi whose
 * failures are CharterErrors with their code and diagnostics). Sandboxed preloads cannot import
 * modules, so this file is bundled (npm run build:electron).
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { EventName, EventPayloads } from '../shared/api.ts';
import { OPERATION_NAMES, isEventName, splitName } from '../shared/api.ts';

const groups: Record<string, Record<string, (args: unknown) => Promise<unknown>>> = {};
for (const operation of OPERATION_NAMES) {
  const [group, method] = splitName(operation);
  const channel = `charter:${operation}`;
  (groups[group] ??= {})[method] = (args: unknown) => ipcRenderer.invoke(channel, args ?? {});
}

function on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
  if (!isEventName(event)) throw new TypeError(`unknown event ${String(event)}`);
  const channel = `charter:event:${event}`;
  const handler = (_event: unknown, payload: EventPayloads[E]) => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}

contextBridge.exposeInMainWorld('charterIpc', { ...groups, on });
