// Gives a Playwright page the same `window.vigil` the preload gives the Electron window, but wired
// to the REAL main-side handler table through page.exposeBinding, and (given an event source such
// as startAppServices' events) pushing main's events into the page as the shell does. Every message
// that crosses, in both directions, is recorded for the test to inspect (see secrets.ts).
import type { Page } from '@playwright/test';
import { BRIDGE_KEY, eventNames } from '../../src/shared/ipc';
import { dispatch, type HandlerTable } from '../../src/main/ipc/router';
import type { AppEvents } from '../../src/main/wallet/services';

/** One message across the bridge: a request, its response, or an event pushed by main. */
export type IpcMessage =
  | { direction: 'request'; method: unknown; params: unknown; at: number }
  | { direction: 'response'; method: unknown; response: unknown; at: number }
  | { direction: 'event'; name: string; payload: unknown; at: number };

export interface BridgeLog {
  requests: { method: unknown; params: unknown }[];
  /** Every message of this page, in order, both directions. */
  messages: IpcMessage[];
  /** Stops pushing events into the page (also done when the page closes). */
  detach(): void;
}

export async function installBridge(
  page: Page,
  table: HandlerTable,
  options: {
    events?: AppEvents;
    /** The router's dispatch from the same module instance as `table` (see app.ts). */
    dispatch?: typeof dispatch;
  } = {},
): Promise<BridgeLog> {
  const route = options.dispatch ?? dispatch;
  const messages: IpcMessage[] = [];
  const log: BridgeLog = { requests: [], messages, detach: () => undefined };
  await page.exposeBinding('__vigilRequest', async (_source, method: unknown, params: unknown) => {
    log.requests.push({ method, params });
    messages.push({ direction: 'request', method, params, at: Date.now() });
    const response = await route(table, method, params);
    messages.push({ direction: 'response', method, response, at: Date.now() });
    return response;
  });
  await page.addInitScript(
    ({ key, events }: { key: string; events: string[] }) => {
      const w = window as unknown as Record<string, unknown> & {
        __vigilRequest(method: string, params: unknown): Promise<unknown>;
      };
      const listeners = new Map<string, Set<(payload: unknown) => void>>();
      // The harness's way in for events (the preload listens on an IPC channel instead).
      Object.defineProperty(w, '__vigilDeliver', {
        value: (name: string, payload: unknown) => {
          for (const l of listeners.get(name) ?? []) l(payload);
        },
      });
      w[key] = Object.freeze({
        request: (method: string, params?: unknown) => w.__vigilRequest(method, params ?? {}),
        on: (event: string, listener: (payload: unknown) => void) => {
          if (!events.includes(event))
            throw new Error(`There is no event named "${String(event).slice(0, 80)}".`);
          if (!listeners.has(event)) listeners.set(event, new Set());
          listeners.get(event)!.add(listener);
          return () => listeners.get(event)?.delete(listener);
        },
      });
    },
    { key: BRIDGE_KEY, events: [...eventNames] },
  );
  if (options.events) {
    const unsubscribe = options.events.subscribe((name, payload) => {
      messages.push({ direction: 'event', name, payload, at: Date.now() });
      if (page.isClosed()) return;
      page
        .evaluate(
          ([n, p]) =>
            (
              window as unknown as { __vigilDeliver?(n: string, p: unknown): void }
            ).__vigilDeliver?.(n, p),
          [name, payload] as const,
        )
        .catch(() => undefined);
    });
    log.detach = unsubscribe;
    page.once('close', unsubscribe);
  }
  return log;
}
