// A scripted main process for the screens' browser tests: the wallet's requests answered from an
// in-memory chain the test controls (balances, UTXOs, history, the watcher's status), so every
// screen can be driven and photographed in seconds. The real services and devnet are exercised by
// the wallet-devnet spec.
import type { WalletHandlers } from '../../src/main/ipc/app-handlers';
import { HandlerError } from '../../src/main/ipc/router';
import type { AppEventListener, AppEvents } from '../../src/main/wallet/services';
import type { EventName, EventPayloads } from '../../src/shared/ipc';
import { snapshotFixture } from '../../src/renderer/testing/fixtures';
import type {
  ChainEventView,
  ChainSnapshot,
  HistoryItem,
  NetworkChoice,
  UtxoView,
  WalletSettings,
} from '../../src/shared/wallet';

export const ETH = '0x0000000000000000000000000000000000000000';
export const VTT = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const ETHER = 10n ** 18n;

export interface ScriptedChain {
  handlers: WalletHandlers;
  /** What the chain and Ethereum show; change it and the screens follow. */
  state: {
    blob: string | null;
    snapshot: ChainSnapshot;
    utxoAmounts: { token: string; amount: bigint }[];
    history: Omit<HistoryItem, 'counterparties'>[];
    submitted: string[];
    settings: WalletSettings;
    networks: NetworkChoice[];
  };
  makeInvalid(event: ChainEventView): void;
  /** Main's events, for installBridge({ events }); `emit` pushes one into the page. */
  events: AppEvents;
  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void;
}

export function scriptedChain(): ScriptedChain {
  const state: ScriptedChain['state'] = {
    blob: null,
    snapshot: snapshotFixture({ ethereumHeight: 240, at: Date.now() }),
    utxoAmounts: [
      { token: ETH, amount: 2n * ETHER },
      { token: ETH, amount: ETHER / 2n },
      { token: VTT, amount: 250_000_000n },
    ],
    history: [
      {
        kind: 'deposit',
        txHash: '0x' + 'a1'.repeat(32),
        blknum: '1001',
        txindex: 0,
        amounts: [{ token: ETH, amount: (2n * ETHER).toString() }],
        metadata: '0x' + '00'.repeat(32),
        metadataText: null,
        timestamp: 1_764_000_000,
      },
      {
        kind: 'received',
        txHash: '0x' + 'b2'.repeat(32),
        blknum: '2000',
        txindex: 3,
        amounts: [{ token: VTT, amount: '250000000' }],
        metadata: '0x' + '00'.repeat(32),
        metadataText: 'lunch money',
        timestamp: 1_764_000_100,
      },
    ],
    submitted: [],
    settings: { idleLockMinutes: 10, notifications: true },
    networks: [{ id: 'devnet', name: 'Local devnet', chainId: 31337, selected: true }],
  };
  let allowance = 0n;
  const friend = '0x90f79bf6eb2c4f870365e785982e1f101e93b906';

  function utxos(owner: string): UtxoView[] {
    return state.utxoAmounts.map((u, i) => {
      const blknum = BigInt(1001 + i);
      return {
        utxoPos: (blknum * 1_000_000_000n).toString(),
        blknum: blknum.toString(),
        txindex: 0,
        oindex: 0,
        owner,
        token: u.token,
        amount: u.amount.toString(),
        txHash: '0x' + (i + 1).toString(16).padStart(64, '0'),
      };
    });
  }

  const handlers = {
    'vault.load': () => ({ blob: state.blob }),
    'vault.save': (p: { blob: string }) => {
      state.blob = p.blob;
      return { savedAt: Date.now() };
    },
    'chain.snapshot': () => ({ ...state.snapshot, at: Date.now() }),
    'chain.account': (p: { address: string }) => {
      const list = utxos(p.address);
      const totals = new Map<string, bigint>();
      for (const u of list) totals.set(u.token, (totals.get(u.token) ?? 0n) + BigInt(u.amount));
      return {
        address: p.address,
        balances: [...totals].map(([token, amount]) => ({ token, amount: amount.toString() })),
        utxos: list,
      };
    },
    'chain.history': (p: { address: string; search?: string }) =>
      state.history
        .map((h) => ({ ...h, counterparties: [friend] }))
        .filter((h) => {
          const q = p.search?.toLowerCase();
          return (
            !q ||
            h.txHash.includes(q) ||
            h.counterparties.some((c) => c.includes(q)) ||
            (h.metadataText ?? '').toLowerCase().includes(q)
          );
        }),
    'chain.fees': () => [
      { token: ETH, amount: '1000000000000', symbol: 'ETH', decimals: 18 },
      { token: VTT, amount: '10000', symbol: 'VTT', decimals: 6 },
    ],
    'chain.submit': (p: { transaction: string }) => {
      if (!state.snapshot.canSubmit)
        throw new HandlerError('chain_not_safe', state.snapshot.submitRefusal ?? 'Not safe.');
      state.submitted.push(p.transaction);
      return {
        blknum: '4000',
        txindex: state.submitted.length - 1,
        txHash: '0x' + 'c3'.repeat(32),
      };
    },
    'eth.account': (p: { address: string }) => ({
      address: p.address,
      eth: (9_997n * ETHER).toString(),
      tokens: [{ token: VTT, amount: '1000000000' }],
      nonce: 4,
    }),
    'eth.token': (p: { address: string }) => {
      if (p.address !== VTT) throw new HandlerError('not_erc20', 'That contract is not an ERC20.');
      return { address: VTT, symbol: 'VTT', decimals: 6, name: 'Vigil Test Token' };
    },
    'eth.allowance': () => ({
      amount: allowance.toString(),
      spender: state.snapshot.network.contracts.erc20Vault,
    }),
    'eth.feeData': () => ({
      chainId: 31337,
      maxFeePerGas: '2000000000',
      maxPriorityFeePerGas: '1',
    }),
    'eth.estimateGas': () => ({ gas: '80000' }),
    'eth.send': () => {
      // Every transaction is mined at once; an approval (the only kind sent before a deposit)
      // leaves the vault a large allowance.
      allowance = 10n ** 30n;
      return { hash: '0x' + 'd4'.repeat(32) };
    },
    'deposit.progress': (p: { ethTxHash: string }) => ({
      ethTxHash: p.ethTxHash,
      stage: 'spendable',
      confirmations: 2,
      needed: 2,
      blknum: '5001',
      error: null,
    }),
    'network.list': () => state.networks,
    'network.add': (p: { profile: string }) => {
      const profile = JSON.parse(p.profile) as { name?: string; chainId?: number };
      if (typeof profile.chainId !== 'number')
        throw new HandlerError('invalid_profile', 'chainId must be a number.');
      const added = {
        id: `p${state.networks.length}`,
        name: profile.name ?? '?',
        chainId: profile.chainId,
        selected: false,
      };
      state.networks.push(added);
      return added;
    },
    'network.select': (p: { id: string }) => {
      state.networks = state.networks.map((n) => ({ ...n, selected: n.id === p.id }));
      return state.networks.find((n) => n.id === p.id)!;
    },
    'settings.get': () => state.settings,
    'settings.set': (p: Partial<WalletSettings>) => (state.settings = { ...state.settings, ...p }),
  };

  const listeners = new Set<AppEventListener>();
  return {
    handlers: handlers as unknown as WalletHandlers,
    state,
    events: {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    emit(name, payload) {
      for (const listener of listeners) listener(name, payload);
    },
    makeInvalid(event) {
      state.snapshot = {
        ...state.snapshot,
        status: { kind: 'invalid', reason: event.description },
        events: [event],
        canSubmit: false,
        submitRefusal: `Payments are paused: ${event.description}`,
      };
    },
  };
}
