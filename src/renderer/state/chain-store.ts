// What the watcher tells the renderer about the chain: the latest snapshot (pushed after every
// round, also fetched on demand), the operator's fee table and the token facts read from Ethereum.
import { create } from 'zustand';
import { ETH_TOKEN } from '../../plasma/types';
import type { ChainSnapshot, FeeOption, TokenInfo } from '../../shared/wallet';
import { request, subscribe } from '../ipc/client';
import { errorText } from './errors';

/** How often the snapshot is fetched besides the pushes. */
export const SNAPSHOT_POLL_MS = 3000;

const ETH_INFO: TokenInfo = { address: ETH_TOKEN, symbol: 'ETH', decimals: 18, name: 'Ether' };

interface ChainStore {
  snapshot: ChainSnapshot | null;
  /** Why the last snapshot request failed (the status bar shows it). */
  error: string | null;
  fees: FeeOption[];
  feesError: string | null;
  tokens: Record<string, TokenInfo>;
  refresh(): Promise<void>;
  loadFees(): Promise<void>;
  /** Reads each unknown token's symbol and decimals once (ETH is built in). */
  loadTokens(addresses: readonly string[]): Promise<void>;
  /** Follows pushed snapshots and events; returns the unsubscribe. */
  follow(): () => void;
}

export const useChainStore = create<ChainStore>((set, get) => ({
  snapshot: null,
  error: null,
  fees: [],
  feesError: null,
  tokens: { [ETH_TOKEN]: ETH_INFO },
  async refresh() {
    try {
      set({ snapshot: await request('chain.snapshot'), error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async loadFees() {
    try {
      const fees = await request('chain.fees');
      set({ fees, feesError: null });
      const tokens = { ...get().tokens };
      for (const fee of fees)
        tokens[fee.token] ??= {
          address: fee.token,
          symbol: fee.symbol,
          decimals: fee.decimals,
          name: fee.symbol,
        };
      set({ tokens });
    } catch (error) {
      set({ feesError: errorText(error) });
    }
  },
  async loadTokens(addresses) {
    const missing = [...new Set(addresses.map((a) => a.toLowerCase()))].filter(
      (a) => !get().tokens[a],
    );
    const found = await Promise.all(
      missing.map((address) => request('eth.token', { address }).catch(() => null)),
    );
    const tokens = { ...get().tokens };
    for (const info of found) if (info) tokens[info.address.toLowerCase()] = info;
    set({ tokens });
  },
  follow() {
    const stops = [
      subscribe('chain.snapshot', (snapshot) => set({ snapshot, error: null })),
      // An event is in the next snapshot too; fetch it now so the banner shows at once.
      subscribe('chain.event', () => void get().refresh()),
    ];
    void get().refresh();
    // Main pushes a snapshot after every round; asking now and then as well keeps the status
    // honest if a push is ever lost (the bar would otherwise show a stale "valid").
    const poll = setInterval(() => void get().refresh(), SNAPSHOT_POLL_MS);
    return () => {
      clearInterval(poll);
      stops.forEach((stop) => stop());
    };
  },
}));

/** The token's facts, or a placeholder that still formats exactly (in base units). */
export function tokenOf(tokens: Record<string, TokenInfo>, address: string): TokenInfo {
  return (
    tokens[address.toLowerCase()] ?? {
      address,
      symbol: `${address.slice(0, 6)}…${address.slice(-4)}`,
      decimals: 0,
      name: address,
    }
  );
}
