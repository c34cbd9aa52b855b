// The wallet's child-chain requests: the account's outputs and balances and its history from the
// watcher's store, the operator's fee table, and submitting a signed payment through the gate.
import { hexToBytes } from '../../plasma/hex';
import { metadataText } from '../../plasma/metadata';
import { decodeUtxoPos } from '../../plasma/position';
import { isPlasmaError } from '../../plasma/errors';
import { decodeSignedTransaction, decodeTransaction } from '../../plasma/tx';
import { ETH_TOKEN, type Address } from '../../plasma/types';
import type { ChildAccount, FeeOption, HistoryItem, SubmitResult } from '../../shared/wallet';
import { HandlerError } from '../ipc/router';
import {
  accountDeposits,
  accountTransactions,
  inputsSpentBy,
  type StoredTransaction,
  type WatcherStore,
} from '../store';
import { ChildChainError, type ChildChainClient } from '../watcher/child-chain-client';
import type { WatcherSnapshot } from '../watcher/watcher';
import { submitRefusal } from './gate';

export function childAccount(store: WatcherStore, address: Address): ChildAccount {
  const balances = [...store.balancesOf(address)].map(([token, amount]) => ({
    token,
    amount: amount.toString(),
  }));
  const utxos = store.utxosOf(address).map((u) => {
    const { blknum, txindex, oindex } = decodeUtxoPos(u.utxoPos);
    return {
      utxoPos: u.utxoPos.toString(),
      blknum: blknum.toString(),
      txindex: Number(txindex),
      oindex: Number(oindex),
      owner: u.owner,
      token: u.token,
      amount: u.amount.toString(),
      txHash: u.txHash,
    };
  });
  return { address, balances, utxos };
}

function addTo(map: Map<Address, bigint>, token: Address, amount: bigint): void {
  map.set(token, (map.get(token) ?? 0n) + amount);
}

/** One applied transaction as the account sees it: what it sent, received, or moved to itself. */
function transactionItem(
  store: WatcherStore,
  me: Address,
  t: StoredTransaction,
  timestamp: number,
): HistoryItem | undefined {
  let decoded;
  try {
    decoded = decodeTransaction(t.txBytes);
  } catch {
    return undefined;
  }
  const outputs = decoded.kind === 'payment' ? decoded.tx.outputs : [decoded.tx.output];
  const inputs = inputsSpentBy(store, t.blknum, t.txindex);
  const net = new Map<Address, bigint>();
  const senders = new Set<Address>();
  const recipients = new Set<Address>();
  let spent = false;
  for (const input of inputs) {
    if (input.owner === me) {
      spent = true;
      addTo(net, input.token, -input.amount);
    } else senders.add(input.owner);
  }
  for (const o of outputs) {
    if (o.outputGuard === me) addTo(net, o.token, o.amount);
    else recipients.add(o.outputGuard);
  }
  const kind = spent ? (recipients.size === 0 ? 'self' : 'sent') : 'received';
  const metadata = decoded.tx.metadata;
  return {
    kind,
    txHash: t.txHash,
    blknum: t.blknum.toString(),
    txindex: t.txindex,
    counterparties: [...(spent ? recipients : senders)],
    amounts: [...net]
      .filter(([, amount]) => amount !== 0n)
      .map(([token, amount]) => ({ token, amount: amount.toString() })),
    metadata,
    metadataText: metadataText(metadata),
    timestamp,
  };
}

function matches(item: HistoryItem, search: string): boolean {
  const s = search.trim().toLowerCase();
  if (s === '') return true;
  return (
    item.txHash.includes(s) ||
    item.counterparties.some((c) => c.includes(s)) ||
    (item.metadataText?.toLowerCase().includes(s) ?? false)
  );
}

/** How far back a search looks: the newest transactions and deposits of the account. */
const SEARCH_WINDOW = 5000;

/**
 * The account's history, newest first: payments sent and received (from validated blocks) and
 * deposits. `timestampOf` gives a deposit's Ethereum block time (blocks carry their own).
 */
export async function accountHistory(
  store: WatcherStore,
  address: Address,
  options: { search?: string; limit?: number },
  depositTimestamp: (ethHeight: number) => Promise<number>,
): Promise<HistoryItem[]> {
  const limit = options.limit ?? 100;
  const search = options.search ?? '';
  const window = search.trim() === '' ? limit : SEARCH_WINDOW;
  const blockTimes = new Map<bigint, number>();
  const items: HistoryItem[] = [];
  for (const t of accountTransactions(store, address, window)) {
    if (!blockTimes.has(t.blknum))
      blockTimes.set(t.blknum, store.getBlock(t.blknum)?.timestamp ?? 0);
    const item = transactionItem(store, address, t, blockTimes.get(t.blknum)!);
    if (item) items.push(item);
  }
  for (const d of accountDeposits(store, address, window)) {
    items.push({
      kind: 'deposit',
      txHash: d.ethTxHash,
      blknum: d.blknum.toString(),
      txindex: 0,
      counterparties: [],
      amounts: [{ token: d.token, amount: d.amount.toString() }],
      metadata: `0x${'00'.repeat(32)}`,
      metadataText: null,
      timestamp: await depositTimestamp(d.ethHeight).catch(() => 0),
    });
  }
  items.sort((a, b) => {
    const ab = BigInt(a.blknum);
    const bb = BigInt(b.blknum);
    return ab !== bb ? (ab > bb ? -1 : 1) : b.txindex - a.txindex;
  });
  return items.filter((i) => matches(i, search)).slice(0, limit);
}

/** The operator's payment fees, with each token's symbol and decimals. */
export async function feeOptions(
  client: ChildChainClient,
  tokenInfo: (token: Address) => Promise<{ symbol: string; decimals: number }>,
): Promise<FeeOption[]> {
  let data: unknown;
  try {
    data = await client.feesAll({ tx_types: [1] });
  } catch (error) {
    throw operatorError(error, 'the fee table');
  }
  const list = (data as Record<string, unknown> | null)?.['1'];
  if (!Array.isArray(list))
    throw new HandlerError(
      'operator_bad_answer',
      'The operator sent a fee table Vigil cannot read.',
    );
  const options: FeeOption[] = [];
  for (const entry of list.slice(0, 100)) {
    const e = (entry ?? {}) as { currency?: unknown; amount?: unknown };
    const currency = typeof e.currency === 'string' ? e.currency.toLowerCase() : '';
    const amount =
      typeof e.amount === 'bigint' || typeof e.amount === 'number' || typeof e.amount === 'string'
        ? String(e.amount)
        : '';
    if (!/^0x[0-9a-f]{40}$/.test(currency) || !/^[0-9]{1,78}$/.test(amount)) continue;
    let info = { symbol: 'ETH', decimals: 18 };
    if (currency !== ETH_TOKEN) {
      try {
        info = await tokenInfo(currency as Address);
      } catch {
        continue;
      }
    }
    options.push({
      token: currency,
      amount: BigInt(amount).toString(),
      symbol: info.symbol,
      decimals: info.decimals,
    });
  }
  return options;
}

function operatorError(error: unknown, what: string): HandlerError {
  if (error instanceof ChildChainError) {
    if (error.code === 'operator_error' && error.details.operatorCode) {
      const atom = error.details.operatorCode.replace(/^submit:/, '');
      return new HandlerError(
        `operator_refused:${atom}`,
        `The operator refused ${what}: ${refusalWords(atom)}`,
      );
    }
    return new HandlerError(
      'operator_unreachable',
      `The operator could not be asked for ${what}: ${error.message}`,
    );
  }
  return error as HandlerError;
}

const REFUSALS: Record<string, string> = {
  utxo_not_found:
    'one of the coins it spends does not exist or is already spent. Refresh and try again.',
  unauthorized_spend: 'it is not signed by the owner of every coin it spends.',
  amounts_do_not_add_up: 'it pays out more than its inputs hold.',
  fees_not_covered:
    'the fee it leaves is smaller than the operator asks. Refresh the fees and try again.',
  overpaying_fees: 'it leaves more fee than the operator asks.',
  multiple_potential_currency_fees: 'it leaves a fee in more than one token.',
  input_utxo_ahead_of_state: 'it spends a coin from a block the operator has not formed yet.',
  duplicate_inputs: 'it spends the same coin twice.',
  missing_signature: 'a signature is missing.',
};

function refusalWords(atom: string): string {
  return REFUSALS[atom] ?? `${atom.replace(/_/g, ' ')}.`;
}

/** Decodes, gates and submits a signed payment. */
export async function submitPayment(
  snapshot: WatcherSnapshot,
  client: ChildChainClient,
  transaction: string,
): Promise<SubmitResult> {
  const refusal = submitRefusal(snapshot);
  if (refusal) throw new HandlerError('chain_not_safe', refusal);
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(transaction);
    const decoded = decodeSignedTransaction(bytes);
    if (decoded.kind !== 'payment')
      throw new HandlerError(
        'malformed_transaction',
        'Only payments can be submitted, not fee transactions.',
      );
  } catch (error) {
    if (error instanceof HandlerError) throw error;
    const why = isPlasmaError(error) ? error.message : String(error);
    throw new HandlerError(
      'malformed_transaction',
      `The signed payment is malformed and was not sent: ${why}`,
    );
  }
  try {
    const r = await client.submit(bytes);
    return { blknum: r.blknum.toString(), txindex: r.txindex, txHash: r.txhash };
  } catch (error) {
    throw operatorError(error, 'the payment');
  }
}
