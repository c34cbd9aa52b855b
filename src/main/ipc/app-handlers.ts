// The first real handlers: what the app is, where it runs, and where it keeps its data.
import { requestMethods } from '../../shared/ipc';
import type { ExitRequestMap } from '../../shared/exits';
import type { WalletRequestMap } from '../../shared/wallet';
import { HandlerError, type HandlerTable } from './router';

/** The wallet's handler group (src/main/wallet/handlers.ts builds it from the running services). */
export type WalletHandlers = Pick<HandlerTable, keyof WalletRequestMap | keyof ExitRequestMap>;

export interface AppFacts {
  appVersion: string;
  electronVersion: string | null;
  chromeVersion: string | null;
  nodeVersion: string;
  platform: string;
  arch: string;
  dataDirectory: string;
}

export function appHandlers(
  facts: AppFacts,
): Pick<HandlerTable, 'app.version' | 'app.platform' | 'app.dataDirectory'> {
  return {
    'app.version': () => ({
      app: facts.appVersion,
      electron: facts.electronVersion,
      chrome: facts.chromeVersion,
      node: facts.nodeVersion,
    }),
    'app.platform': () => ({ os: facts.platform, arch: facts.arch }),
    'app.dataDirectory': () => ({ path: facts.dataDirectory }),
  };
}

/** Stand-ins while the wallet's services are not running (starting, or failed to start). */
export function unavailableWalletHandlers(reason: string): WalletHandlers {
  const refuse = (): never => {
    throw new HandlerError('service_unavailable', reason);
  };
  const walletMethods = requestMethods.filter((m) => !m.startsWith('app.'));
  return Object.fromEntries(walletMethods.map((m) => [m, refuse])) as unknown as WalletHandlers;
}

/**
 * The full table the shell registers: the app facts plus the wallet's group. Without `wallet`
 * every wallet request answers `service_unavailable`, so the table always covers the contract.
 */
export function createHandlerTable(facts: AppFacts, wallet?: WalletHandlers): HandlerTable {
  return {
    ...appHandlers(facts),
    ...(wallet ?? unavailableWalletHandlers('The wallet services are not running.')),
  };
}
