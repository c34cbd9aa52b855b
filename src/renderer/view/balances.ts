// The home screen's numbers: one row per token with its child-chain and Ethereum balances side
// by side, and UTXOs with readable positions. Amounts stay bigint until they become text.
import type { ChildAccount, EthereumAccount, TokenInfo, UtxoView } from '../../shared/wallet';
import { ETH_TOKEN } from '../../plasma/types';
import { formatAmount, fromDecimalString } from '../wallet/amounts';
import { tokenOf } from '../state/chain-store';

export interface BalanceRow {
  token: string;
  symbol: string;
  childChain: string;
  ethereum: string;
}

/** "1.5 ETH": an amount of a token for people. */
export function showAmount(amount: bigint | string, info: TokenInfo): string {
  const value = typeof amount === 'bigint' ? amount : fromDecimalString(amount);
  return `${formatAmount(value, info.decimals, { groupSeparator: ',' })} ${info.symbol}`;
}

export function balanceRows(
  child: ChildAccount | null,
  ethereum: EthereumAccount | null,
  tokens: Record<string, TokenInfo>,
): BalanceRow[] {
  const totals = new Map<string, { child: bigint; eth: bigint }>();
  const entry = (token: string) => {
    const key = token.toLowerCase();
    let found = totals.get(key);
    if (!found) totals.set(key, (found = { child: 0n, eth: 0n }));
    return found;
  };
  entry(ETH_TOKEN);
  for (const b of child?.balances ?? []) entry(b.token).child += fromDecimalString(b.amount);
  if (ethereum) entry(ETH_TOKEN).eth += fromDecimalString(ethereum.eth);
  for (const t of ethereum?.tokens ?? []) entry(t.token).eth += fromDecimalString(t.amount);
  return [...totals].map(([token, sums]) => {
    const info = tokenOf(tokens, token);
    return {
      token,
      symbol: info.symbol,
      childChain: showAmount(sums.child, info),
      ethereum: showAmount(sums.eth, info),
    };
  });
}

export interface UtxoRow {
  utxoPos: string;
  /** "block 2000, tx 3, output 1" (a deposit: "deposit block 1001"). */
  position: string;
  amount: string;
  txHash: string;
}

export function utxoRows(utxos: readonly UtxoView[], tokens: Record<string, TokenInfo>): UtxoRow[] {
  return [...utxos]
    .sort((a, b) => (BigInt(a.utxoPos) < BigInt(b.utxoPos) ? -1 : 1))
    .map((u) => ({
      utxoPos: u.utxoPos,
      position: `block ${u.blknum}, tx ${u.txindex}, output ${u.oindex}`,
      amount: showAmount(u.amount, tokenOf(tokens, u.token)),
      txHash: u.txHash,
    }));
}
