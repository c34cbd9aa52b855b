// The wallet's handler group: one function per request of WalletRequestMap (src/shared/wallet.ts).
// The router has validated the params against the schemas in ipc-schemas.ts before any of these run;
// every refusal is a HandlerError with a stable code and a message in plain words.
import type { Address } from '../../plasma/types';
import type { RequestParams, RequestResult } from '../../shared/ipc';
import type { ExitRequestMap } from '../../shared/exits';
import type { NetworkChoice, TokenInfo, WalletRequestMap } from '../../shared/wallet';
import type { WalletHandlers } from '../ipc/app-handlers';
import { HandlerError } from '../ipc/router';
import { accountHistory, childAccount, feeOptions, submitPayment } from './chain';
import { chainSnapshot } from './gate';
import type { NetworkRegistry } from './networks';
import type { NetworkServices } from './services';
import type { SettingsFile } from './settings';
import type { VaultFile } from './vault';

export interface WalletHandlerDeps {
  vault: VaultFile;
  settings: SettingsFile;
  networks: NetworkRegistry;
  /** The running network; throws HandlerError `service_unavailable` while there is none. */
  network(): NetworkServices;
  /** Selects a network and restarts the services on it. */
  select(id: string): Promise<NetworkChoice>;
  tokenInfo(token: Address): Promise<TokenInfo>;
}

type Typed = {
  [M in keyof WalletRequestMap | keyof ExitRequestMap]: (
    params: RequestParams<M>,
  ) => Promise<RequestResult<M>> | RequestResult<M>;
};

export function walletHandlers(deps: WalletHandlerDeps): WalletHandlers {
  const { vault, settings, networks } = deps;
  const eth = () => deps.network().ethereum;
  const typed: Typed = {
    'vault.load': () => vault.load(),
    'vault.save': (p) => vault.save(p.blob),
    'chain.snapshot': () => {
      const n = deps.network();
      return chainSnapshot(n.watcher.snapshot(), n.profile);
    },
    'chain.account': (p) => childAccount(deps.network().watcher.store, p.address as Address),
    'chain.history': (p) => {
      const n = deps.network();
      return accountHistory(n.watcher.store, p.address as Address, p, (height) =>
        n.ethereum.blockTimestamp(height),
      );
    },
    'chain.fees': () => feeOptions(deps.network().client, deps.tokenInfo),
    'chain.submit': (p) => {
      const n = deps.network();
      return submitPayment(n.watcher.snapshot(), n.client, p.transaction);
    },
    'eth.account': (p) => eth().account(p.address as Address),
    'eth.token': (p) => eth().token(p.address as Address),
    'eth.allowance': (p) => eth().allowance(p.owner as Address, p.token as Address),
    'eth.feeData': () => eth().feeData(),
    'eth.estimateGas': (p) => eth().estimateGas(p),
    'eth.send': (p) => eth().send(p.raw),
    'deposit.progress': (p) => eth().depositProgress(p.ethTxHash),
    'network.list': () => networks.list(),
    'network.add': (p) => networks.add(p.profile),
    'network.select': (p) => deps.select(p.id),
    'settings.get': () => settings.get(),
    'settings.set': (p) => settings.set(p),
    ...exitHandlers(),
  };
  return typed as unknown as WalletHandlers;
}

/** The exit requests (issue 8); answered once the exit services land. */
function exitHandlers(): Pick<Typed, keyof ExitRequestMap> {
  const later = (): never => {
    throw new HandlerError('service_unavailable', 'Exits are not available in this build yet.');
  };
  return {
    'exit.list': later,
    'exit.data': later,
    'exit.challengeData': later,
    'exit.processCall': later,
    'exit.plan': later,
    'exit.outbox.add': later,
    'exit.outbox.list': later,
    'exit.outbox.markSent': later,
    'exit.bundle.export': later,
    'exit.bundle.import': later,
    'safeMode.get': later,
    'safeMode.acknowledge': later,
  };
}
