// A scripted `window.vigil` for the renderer's store tests (under Node) and component tests (happy-dom):
// each request goes to the test's handler; events are pushed with `emit`.
import {
  BRIDGE_KEY,
  type EventName,
  type EventPayloads,
  type RequestMethod,
} from '../../shared/ipc';
import type { RequestMap } from '../../shared/ipc';

export type FakeHandlers = {
  [M in RequestMethod]?: (params: RequestMap[M]['params']) => unknown;
};

export interface FakeBridge {
  calls: { method: string; params: unknown }[];
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
}

export function installFakeBridge(handlers: FakeHandlers): FakeBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: FakeBridge['calls'] = [];
  const bridge = {
    async request(method: string, params?: unknown) {
      calls.push({ method, params });
      const handler = handlers[method as RequestMethod] as ((p: unknown) => unknown) | undefined;
      if (!handler)
        return { ok: false, error: { code: 'unknown_method', message: `No fake for ${method}.` } };
      try {
        return { ok: true, value: await handler(params) };
      } catch (error) {
        const e = error as { code?: string; message?: string };
        return { ok: false, error: { code: e.code ?? 'internal_error', message: e.message ?? '' } };
      }
    },
    on(event: string, listener: (payload: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set.add(listener));
      return () => void set.delete(listener);
    },
  };
  // Under Node there is no window: make one. Under happy-dom (component tests) keep the DOM's own.
  const g = globalThis as unknown as { window?: Record<string, unknown> };
  if (g.window) g.window[BRIDGE_KEY] = bridge;
  else g.window = { [BRIDGE_KEY]: bridge };
  return {
    calls,
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
}
