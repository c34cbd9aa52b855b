// The wallet's handler group: one function per request of WalletRequestMap (src/shared/wallet.ts).
// The router has validated the params against the schemas in ipc-schemas.ts before any of these run;
// every refusal is a HandlerError with a stable code and a message in plain words.
import type { Address } from '../../plasma/types';
import type { RequestParams, RequestResult } from '../../shared/ipc';
import type { ExitRequestMap } from '../../shared/exits';
import type { NetworkChoice, TokenInfo, WalletRequestMap } from '../../shared/wallet';
import type { WalletHandlers } from '../ipc/app-handlers';
import { HandlerError } from '../ipc/router';
import { exportBundle, frameworkRootReader, verifyBundle } from './bundle';
import { accountHistory, childAccount, feeOptions, submitPayment } from './chain';
import { chainSnapshot, submitRefusal } from './gate';
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
      const snapshot = n.watcher.snapshot();
      // The gate's own refusal (chain_not_safe) comes first; safe mode holds after the chain recovers
      // until the user has acknowledged.
      const safeMode = submitRefusal(snapshot) === null ? n.safeMode.refusal() : null;
      if (safeMode) throw new HandlerError('safe_mode', safeMode);
      return submitPayment(snapshot, n.client, p.transaction);
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
    ...exitHandlers(deps),
  };
  return typed as unknown as WalletHandlers;
}

/** The exit requests (issue 8), over the running network's exit services. */
function exitHandlers(deps: WalletHandlerDeps): Pick<Typed, keyof ExitRequestMap> {
  const n = () => deps.network();
  const own =
    (address: string, utxoPos: bigint) =>
    (e: { owner: string; utxoPos: bigint; challenged: boolean }) =>
      e.utxoPos === utxoPos && e.owner.toLowerCase() === address.toLowerCase() && !e.challenged;
  return {
    'exit.list': (p) => n().exits.list(p.address as Address),
    'exit.data': (p) => n().exits.exitData(BigInt(p.utxoPos)),
    'exit.challengeData': (p) =>
      n().exits.challengeData(BigInt(p.utxoPos), p.challenger as Address | undefined),
    'exit.processCall': (p) => n().exits.processCall(p.token as Address, p.maxExits),
    'exit.plan': (p) => {
      const net = n();
      return net.exits.plan(p.address as Address, (pos) => net.outbox.has(p.address, pos));
    },
    'exit.outbox.add': (p) => n().outbox.add(p.address, p.utxoPositions),
    'exit.outbox.list': (p) => {
      const net = n();
      const tracked = () => net.watcher.exits?.list() ?? [];
      return net.outbox.refresh(p.address, {
        exitSeen: (pos) => tracked().some(own(p.address, pos)),
        transaction: (hash) => net.ethereum.transactionState(hash),
      });
    },
    'exit.outbox.markSent': (p) => n().outbox.markSent(p.id, p.ethTxHash),
    'exit.bundle.export': (p) => {
      const net = n();
      if (!net.watcher.exits)
        throw new HandlerError('service_unavailable', 'This watcher does not track exits.');
      return exportBundle(p.address as Address, net.watcher.store, net.watcher.exits, net.profile);
    },
    'exit.bundle.import': async (p) => {
      const net = n();
      const roots = frameworkRootReader(net.profile, (request) =>
        net.ethereum.provider.call(request),
      );
      const { report, accepted } = await verifyBundle(p.json, net.profile, roots);
      if (accepted.length > 0) net.bundles.add(accepted);
      return report;
    },
    'safeMode.get': () => n().safeMode.state(),
    'safeMode.acknowledge': () => {
      const net = n();
      return net.safeMode.acknowledge(net.watcher.snapshot().events);
    },
  };
}
