// The sandboxed preload: exposes exactly the IPC contract, as one object on `window.vigil`.
// Built as CommonJS (sandboxed preloads cannot be ES modules). No logic beyond forwarding.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_KEY,
  EVENT_CHANNEL,
  REQUEST_CHANNEL,
  eventNames,
  requestMethods,
  type IpcResponse,
  type VigilBridge,
} from '../shared/ipc';

const knownMethods = new Set<string>(requestMethods);
const knownEvents = new Set<string>(eventNames);

const bridge = {
  request(method: string, params?: unknown): Promise<IpcResponse<unknown>> {
    if (!knownMethods.has(method)) {
      return Promise.resolve({
        ok: false,
        error: {
          code: 'unknown_method',
          message: `There is no request named "${String(method).slice(0, 80)}".`,
        },
      });
    }
    return ipcRenderer.invoke(REQUEST_CHANNEL, method, params ?? {}) as Promise<
      IpcResponse<unknown>
    >;
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!knownEvents.has(event))
      throw new Error(`There is no event named "${String(event).slice(0, 80)}".`);
    const forward = (_e: IpcRendererEvent, name: string, payload: unknown): void => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  },
} satisfies VigilBridge;

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
