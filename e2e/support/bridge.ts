// Gives a Playwright page the same `window.vigil` the preload gives the Electron window, but wired
// to the REAL main-side handler table through page.exposeBinding.
import type { Page } from '@playwright/test';
import { BRIDGE_KEY } from '../../src/shared/ipc';
import { dispatch, type HandlerTable } from '../../src/main/ipc/router';

export interface BridgeLog {
  requests: { method: unknown; params: unknown }[];
}

export async function installBridge(page: Page, table: HandlerTable): Promise<BridgeLog> {
  const log: BridgeLog = { requests: [] };
  await page.exposeBinding('__vigilRequest', async (_source, method: unknown, params: unknown) => {
    log.requests.push({ method, params });
    return dispatch(table, method, params);
  });
  await page.addInitScript((key: string) => {
    const w = window as unknown as Record<string, unknown> & {
      __vigilRequest(method: string, params: unknown): Promise<unknown>;
    };
    w[key] = Object.freeze({
      request: (method: string, params?: unknown) => w.__vigilRequest(method, params ?? {}),
      on: () => () => undefined,
    });
  }, BRIDGE_KEY);
  return log;
}
