// The selected account's view of both chains: child-chain UTXOs and balances, Ethereum balances
// and nonce, its history (with the user's search) and the payments it submitted that no validated
// block holds yet.
import { create } from 'zustand';
import type { ChildAccount, EthereumAccount, HistoryItem, SubmitResult } from '../../shared/wallet';
import { request } from '../ipc/client';
import { errorText } from './errors';

export interface PendingPayment extends SubmitResult {
  /** One line for the list: what was sent to whom. */
  summary: string;
  submittedAt: number;
  /** The UTXO positions it spends: never selected again while it is pending. */
  spends: string[];
}

interface AccountStore {
  address: string | null;
  child: ChildAccount | null;
  ethereum: EthereumAccount | null;
  history: HistoryItem[];
  search: string;
  loading: boolean;
  error: string | null;
  pending: PendingPayment[];
  select(address: string | null): Promise<void>;
  refresh(): Promise<void>;
  setSearch(search: string): Promise<void>;
  addPending(payment: PendingPayment): void;
  /** Drops pending payments a validated block now holds. */
  settle(lastValidatedBlock: string): void;
}

async function loadHistory(address: string, search: string): Promise<HistoryItem[]> {
  const query = search.trim();
  return request(
    'chain.history',
    query ? { address, search: query, limit: 200 } : { address, limit: 200 },
  );
}

export const useAccountStore = create<AccountStore>((set, get) => ({
  address: null,
  child: null,
  ethereum: null,
  history: [],
  search: '',
  loading: false,
  error: null,
  pending: [],
  async select(address) {
    if (address === get().address) return;
    set({
      address,
      child: null,
      ethereum: null,
      history: [],
      search: '',
      pending: [],
      error: null,
    });
    if (address) await get().refresh();
  },
  async refresh() {
    const { address, search } = get();
    if (!address) return;
    set({ loading: true });
    try {
      const [child, ethereum, history] = await Promise.all([
        request('chain.account', { address }),
        request('eth.account', { address }),
        loadHistory(address, search),
      ]);
      if (get().address !== address) return;
      set({ child, ethereum, history, error: null, loading: false });
    } catch (error) {
      set({ error: errorText(error), loading: false });
    }
  },
  async setSearch(search) {
    const { address } = get();
    set({ search });
    if (!address) return;
    try {
      const history = await loadHistory(address, search);
      if (get().search === search) set({ history, error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  addPending(payment) {
    set({ pending: [...get().pending.filter((p) => p.txHash !== payment.txHash), payment] });
  },
  settle(lastValidatedBlock) {
    const pending = settledPending(get().pending, lastValidatedBlock);
    if (pending.length !== get().pending.length) set({ pending });
  },
}));

/** The payments still waiting: those in blocks above the last validated one. */
export function settledPending(
  pending: readonly PendingPayment[],
  lastValidatedBlock: string,
): PendingPayment[] {
  const validated = BigInt(lastValidatedBlock);
  return pending.filter((p) => BigInt(p.blknum) > validated);
}
