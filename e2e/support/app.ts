// The real main-side services for browser tests: startAppServices on a temp directory with a fresh
// local devnet (src/main/wallet/testing/app.ts), bridged into a Playwright page with events and a
// recorder of every IPC message. Usage:
//   const app = await startRealServices();              // in beforeAll (takes a few seconds)
//   const log = await bridgeRealServices(page, app);    // before page.goto
//   ... app.devnet.devKeys, app.cheat('bad_signature')
//   expect(findSecrets(log.messages, { password, mnemonic, privateKeys })).toEqual([]);
//   await app.dispose();                                // in afterAll
//
// The services are loaded through tsx (Playwright's loader cannot import the ABI JSON files of
// src/plasma), so the router's dispatch comes from that same load: HandlerError must be the class
// the handlers throw, or every typed error would look internal.
import type { Page } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import type { dispatch as Dispatch } from '../../src/main/ipc/router';
import type { TestApp, startTestApp as StartTestApp } from '../../src/main/wallet/testing/app';
import { installBridge, type BridgeLog } from './bridge';

export interface RealServices extends TestApp {
  dispatch: typeof Dispatch;
  /** Arms a devnet cheat (devnet/README.md), e.g. `bad_signature` to make the chain invalid. */
  cheat(name: string): Promise<void>;
}

export async function startRealServices(
  options: Parameters<typeof StartTestApp>[0] = {},
): Promise<RealServices> {
  const { startTestApp } = (await tsImport(
    '../../src/main/wallet/testing/app.ts',
    import.meta.url,
  )) as {
    startTestApp: typeof StartTestApp;
  };
  const { dispatch } = (await tsImport('../../src/main/ipc/router.ts', import.meta.url)) as {
    dispatch: typeof Dispatch;
  };
  const { callChildChain } = (await tsImport('../../devnet/client.ts', import.meta.url)) as {
    callChildChain: (url: string, method: string, params: object) => Promise<unknown>;
  };
  const app = await startTestApp(options);
  return {
    ...app,
    dispatch,
    cheat: async (name) => {
      await callChildChain(app.devnet.profile.childChainUrl, 'devnet.cheat', { name });
    },
  };
}

export function bridgeRealServices(page: Page, app: RealServices): Promise<BridgeLog> {
  return installBridge(page, app.table, { events: app.services.events, dispatch: app.dispatch });
}
