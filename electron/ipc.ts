/**
 * Binds the CharterApi to ipcMain: one channel per operation (`charter:<operation>`), each
 * handler checking that the call comes from the app's own main frame at the app's origin, then
 * validating the arguments (createDispatch). Results travel as envelopes, so a refusal reaches
 * the page as a typed error with its code, not as Electron's flattened Error message.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Envelope, EventName, EventPayloads } from '../shared/api.ts';
import { EVENT_NAMES, OPERATION_NAMES } from '../shared/api.ts';
import type { Dispatch } from './api/dispatch.ts';
import type { EventHub } from './api/event-hub.ts';

export const APP_ORIGIN = 'charter://app';
export const callChannel = (operation: string): string => `charter:${operation}`;
export const eventChannel = (event: EventName): string => `charter:event:${event}`;

/** True when the sender is the main frame of our window, showing our own page. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, window: { readonly webContents: WebContents } | null): boolean {
  const frame = event.senderFrame;
  if (!frame || !window || event.sender !== window.webContents) return false;
  if (frame !== window.webContents.mainFrame) return false;
  try {
    // Compare scheme and host: URL.origin is 'null' for custom schemes outside Chromium.
    const url = new URL(frame.url);
    return url.protocol === 'charter:' && url.host === 'app';
  } catch {
    return false;
  }
}

const FOREIGN: Envelope<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This call did not come from Charter\'s own window and was refused.', diagnostics: [] },
};

export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, dispatch: Dispatch, getWindow: () => { readonly webContents: WebContents } | null, afterCall: () => void = () => {}): () => void {
  for (const operation of OPERATION_NAMES) {
    ipcMain.handle(callChannel(operation), async (event, args: unknown) => {
      if (!isTrustedSender(event, getWindow())) return FOREIGN;
      const envelope = await dispatch(operation, args);
      afterCall();
      return envelope;
    });
  }
  return () => {
    for (const operation of OPERATION_NAMES) ipcMain.removeHandler(callChannel(operation));
  };
}

/** Forwards every CharterApi event to the window. */
export function forwardEvents(events: EventHub, getWindow: () => { readonly webContents: WebContents } | null): () => void {
  const offs = EVENT_NAMES.map((event) =>
    events.on(event, (payload: EventPayloads[typeof event]) => {
      const contents = getWindow()?.webContents;
      if (contents && !contents.isDestroyed()) contents.send(eventChannel(event), payload);
    }),
  );
  return () => offs.forEach((off) => off());
}
