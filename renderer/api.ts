/**
 * The renderer's only door to Charter: `window.charter`. Under Electron the preload put it
 * there; in a browser (`charter web`) we install the bridge client with the same shape.
 */
import type { CharterApi } from '../shared/api.ts';
import { createHttpApi } from '../shared/api/http-client.ts';
import type { EventSocket } from '../shared/api/http-client.ts';

declare global {
  interface Window {
    charter?: CharterApi;
  }
}

export function installApi(): CharterApi {
  if (!window.charter) {
    const { api } = createHttpApi({
      baseUrl: window.location.origin,
      fetch: window.fetch.bind(window),
      openSocket: (url) => new WebSocket(url) as unknown as EventSocket,
    });
    window.charter = api;
  }
  return window.charter;
}

export function charter(): CharterApi {
  return window.charter ?? installApi();
}
