// The wallet's Ethereum side in main: balances, token facts, allowances, fees and gas for the
// renderer to build its transactions, relaying the signed ones (only to the contracts the wallet
// should talk to), and a deposit's progress until the watcher can let it be spent.
import {
  Interface,
  JsonRpcProvider,
  Transaction,
  decodeBytes32String,
  isError,
  type TransactionReceipt,
} from 'ethers';
import {
  erc20AllowanceCall,
  erc20BalanceOfCall,
  erc20DecimalsCall,
  erc20Interface,
  erc20SymbolCall,
  erc20VaultInterface,
  ethVaultInterface,
  paymentExitGameInterface,
  plasmaFrameworkInterface,
} from '../../plasma/contracts';
import { ETH_TOKEN, type Address } from '../../plasma/types';
import type { NetworkProfile } from '../../shared/network-profile';
import type {
  DepositProgress,
  EthereumAccount,
  EthereumFeeData,
  TokenInfo,
} from '../../shared/wallet';
import { HandlerError } from '../ipc/router';
import type { WatcherStore } from '../store';

/** ethers against anvil (and any node): never a cached nonce or block number, one call per request. */
export function walletProvider(rpcUrl: string, chainId: number): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, chainId, {
    cacheTimeout: -1,
    batchMaxCount: 1,
    staticNetwork: true,
    pollingInterval: 250,
  });
}

const nameInterface = new Interface(['function name() view returns (string)']);
const depositSelectors = new Set([
  ethVaultInterface.getFunction('deposit')!.selector,
  erc20VaultInterface.getFunction('deposit')!.selector,
]);
const approveSelector = erc20Interface.getFunction('approve')!.selector;
/** Exit-game calls the wallet relays (issue 8): allowed in safe mode too. */
const exitGameSelectors = new Set(
  ['startStandardExit', 'challengeStandardExit'].map(
    (f) => paymentExitGameInterface.getFunction(f)!.selector,
  ),
);
const frameworkSelectors = new Set(
  ['processExits', 'addExitQueue'].map((f) => plasmaFrameworkInterface.getFunction(f)!.selector),
);

/** What a node said when it refused, without ethers' long dump of the request. */
function nodeReason(error: unknown): string {
  if (isError(error, 'CALL_EXCEPTION')) return error.reason ?? 'the call reverted';
  const e = error as { shortMessage?: string; info?: { error?: { message?: string } } };
  const inner = e.info?.error?.message;
  return inner ?? e.shortMessage ?? (error instanceof Error ? error.message : String(error));
}

function ethereumRefused(what: string, error: unknown): HandlerError {
  return new HandlerError('ethereum_refused', `Ethereum refused ${what}: ${nodeReason(error)}.`);
}

function unreachable(error: unknown): HandlerError {
  return new HandlerError(
    'ethereum_unreachable',
    `Ethereum cannot be reached right now (${nodeReason(error)}). Try again in a moment.`,
  );
}

/** A string-or-bytes32 ERC20 text field (some old tokens return bytes32). */
function textResult(iface: Interface, fn: string, data: string): string {
  try {
    return String(iface.decodeFunctionResult(fn, data)[0]);
  } catch {
    if (/^0x[0-9a-fA-F]{64}$/.test(data)) return decodeBytes32String(data);
    throw new Error(`${fn}() did not return text`);
  }
}

export class WalletEthereum {
  private readonly tokens = new Map<Address, TokenInfo>();
  private readonly blockTimes = new Map<number, number>();

  constructor(
    readonly provider: JsonRpcProvider,
    readonly profile: NetworkProfile,
    private readonly store: WatcherStore,
    /** Why deposits and approvals are refused now (safe mode), or null. */
    private readonly depositRefusal: () => string | null = () => null,
  ) {}

  /** Token facts read from the contract, cached per network. A non-ERC20 is `not_erc20`. */
  async token(address: Address): Promise<TokenInfo> {
    const key = address.toLowerCase() as Address;
    const cached = this.tokens.get(key);
    if (cached) return cached;
    if (key === ETH_TOKEN)
      throw new HandlerError('not_erc20', 'The zero address stands for ETH, not an ERC20 token.');
    let code: string;
    try {
      code = await this.provider.getCode(key);
    } catch (error) {
      throw unreachable(error);
    }
    const notErc20 = (why: string) =>
      new HandlerError('not_erc20', `${key} is not an ERC20 token contract (${why}).`);
    if (code === '0x') throw notErc20('there is no contract at that address');
    let info: TokenInfo;
    try {
      const [symbolData, decimalsData, balanceData] = await Promise.all([
        this.provider.call(erc20SymbolCall(key)),
        this.provider.call(erc20DecimalsCall(key)),
        this.provider.call(erc20BalanceOfCall(key, ETH_TOKEN)),
      ]);
      const decimals = Number(erc20Interface.decodeFunctionResult('decimals', decimalsData)[0]);
      erc20Interface.decodeFunctionResult('balanceOf', balanceData);
      let name: string;
      try {
        name = textResult(
          nameInterface,
          'name',
          await this.provider.call({ to: key, data: nameInterface.encodeFunctionData('name') }),
        );
      } catch {
        name = '';
      }
      const symbol = textResult(erc20Interface, 'symbol', symbolData).slice(0, 20);
      if (!Number.isInteger(decimals) || decimals > 36) throw new Error('decimals out of range');
      info = { address: key, symbol, decimals, name: (name || symbol).slice(0, 100) };
    } catch (error) {
      throw notErc20(
        `it does not answer symbol(), decimals() and balanceOf() like one: ${nodeReason(error)}`,
      );
    }
    this.tokens.set(key, info);
    return info;
  }

  /** The timestamp (seconds) of an Ethereum block, cached: history shows it for each deposit. */
  async blockTimestamp(height: number): Promise<number> {
    const cached = this.blockTimes.get(height);
    if (cached !== undefined) return cached;
    const block = await this.provider.getBlock(height);
    if (!block) return 0;
    if (this.blockTimes.size > 10_000) this.blockTimes.clear();
    this.blockTimes.set(height, block.timestamp);
    return block.timestamp;
  }

  /** Token contracts the wallet may send transactions to: the profile's and those it looked up. */
  isKnownToken(address: string): boolean {
    const a = address.toLowerCase();
    return (
      this.profile.tokens.some((t) => t.address.toLowerCase() === a) ||
      this.tokens.has(a as Address)
    );
  }

  async account(address: Address): Promise<EthereumAccount> {
    const tokens = new Set<Address>(
      this.profile.tokens.map((t) => t.address.toLowerCase() as Address),
    );
    for (const token of this.store.balancesOf(address).keys())
      if (token !== ETH_TOKEN) tokens.add(token);
    try {
      const [eth, nonce, ...balances] = await Promise.all([
        this.provider.getBalance(address),
        this.provider.getTransactionCount(address, 'pending'),
        ...[...tokens].map(async (token) => {
          try {
            const data = await this.provider.call(erc20BalanceOfCall(token, address));
            return {
              token,
              amount: String(erc20Interface.decodeFunctionResult('balanceOf', data)[0]),
            };
          } catch {
            return undefined;
          }
        }),
      ]);
      return {
        address,
        eth: eth.toString(),
        tokens: balances.filter((b): b is { token: Address; amount: string } => b !== undefined),
        nonce,
      };
    } catch (error) {
      throw unreachable(error);
    }
  }

  async allowance(owner: Address, token: Address): Promise<{ amount: string; spender: Address }> {
    const spender = this.profile.contracts.erc20Vault.toLowerCase() as Address;
    let data: string;
    try {
      data = await this.provider.call(erc20AllowanceCall(token, owner, spender));
    } catch (error) {
      throw new HandlerError(
        'not_erc20',
        `Cannot read the allowance of ${token}: ${nodeReason(error)}.`,
      );
    }
    try {
      return { amount: String(erc20Interface.decodeFunctionResult('allowance', data)[0]), spender };
    } catch {
      throw new HandlerError(
        'not_erc20',
        `${token} does not answer allowance() like an ERC20 token.`,
      );
    }
  }

  async feeData(): Promise<EthereumFeeData> {
    try {
      const fees = await this.provider.getFeeData();
      const maxFee = fees.maxFeePerGas ?? fees.gasPrice ?? 1_000_000_000n;
      const tip = fees.maxPriorityFeePerGas ?? 0n;
      return {
        chainId: this.profile.chainId,
        maxFeePerGas: maxFee.toString(),
        maxPriorityFeePerGas: (tip > maxFee ? maxFee : tip).toString(),
      };
    } catch (error) {
      throw unreachable(error);
    }
  }

  async estimateGas(p: {
    from: string;
    to: string;
    data: string;
    value: string;
  }): Promise<{ gas: string }> {
    try {
      const gas = await this.provider.estimateGas({
        from: p.from,
        to: p.to,
        data: p.data,
        value: BigInt(p.value),
      });
      return { gas: gas.toString() };
    } catch (error) {
      throw ethereumRefused('to estimate this transaction', error);
    }
  }

  /** Why main will not relay this transaction, or null when it will. */
  relayRefusal(tx: Transaction): string | null {
    if (tx.chainId !== BigInt(this.profile.chainId))
      return `it is signed for chain ${tx.chainId}, but ${this.profile.name} is chain ${this.profile.chainId}`;
    const to = tx.to?.toLowerCase();
    if (!to) return 'it creates a contract';
    const selector = tx.data.slice(0, 10).toLowerCase();
    const c = this.profile.contracts;
    if (to === c.paymentExitGame.toLowerCase())
      return exitGameSelectors.has(selector)
        ? null
        : 'it calls an exit-game function other than startStandardExit or challengeStandardExit';
    if (to === c.plasmaFramework.toLowerCase())
      return frameworkSelectors.has(selector)
        ? null
        : 'it calls a framework function other than processExits or addExitQueue';
    if (to === c.ethVault.toLowerCase() || to === c.erc20Vault.toLowerCase()) {
      if (!depositSelectors.has(selector)) return 'it calls a vault function other than deposit';
      return this.depositRefusal();
    }
    if (this.isKnownToken(to)) {
      if (selector !== approveSelector) return 'it calls a token function other than approve';
      return this.depositRefusal();
    }
    return `its recipient ${to} is not a vault of this network or a token Vigil knows`;
  }

  async send(raw: string): Promise<{ hash: string }> {
    let tx: Transaction;
    try {
      tx = Transaction.from(raw);
    } catch (error) {
      throw new HandlerError(
        'invalid_transaction',
        `This is not a signed Ethereum transaction (${nodeReason(error)}).`,
      );
    }
    if (!tx.signature || !tx.from)
      throw new HandlerError('invalid_transaction', 'The Ethereum transaction is not signed.');
    const refusal = this.relayRefusal(tx);
    if (refusal)
      throw new HandlerError(
        'transaction_refused',
        `Vigil will not send this transaction: ${refusal}.`,
      );
    try {
      const sent = await this.provider.broadcastTransaction(raw);
      return { hash: sent.hash.toLowerCase() };
    } catch (error) {
      throw ethereumRefused('the transaction', error);
    }
  }

  /** What Ethereum knows of a transaction the wallet relayed (for the exit outbox). */
  async transactionState(hash: string): Promise<'mined-ok' | 'reverted' | 'pending' | 'unknown'> {
    try {
      const receipt = await this.provider.getTransactionReceipt(hash);
      if (receipt) return receipt.status === 1 ? 'mined-ok' : 'reverted';
      return (await this.provider.getTransaction(hash)) ? 'pending' : 'unknown';
    } catch (error) {
      throw unreachable(error);
    }
  }

  async depositProgress(ethTxHash: string): Promise<DepositProgress> {
    const needed = this.profile.finality.deposits;
    const base = { ethTxHash, needed };
    let receipt: TransactionReceipt | null;
    let head: number;
    try {
      [receipt, head] = await Promise.all([
        this.provider.getTransactionReceipt(ethTxHash),
        this.provider.getBlockNumber(),
      ]);
      if (!receipt) {
        if (!(await this.provider.getTransaction(ethTxHash)))
          throw new HandlerError(
            'not_found',
            `Ethereum does not know the transaction ${ethTxHash}.`,
          );
        return { ...base, stage: 'pending', confirmations: 0, blknum: null, error: null };
      }
    } catch (error) {
      if (error instanceof HandlerError) throw error;
      throw unreachable(error);
    }
    const confirmations = Math.max(0, head - receipt.blockNumber + 1);
    const failed = (why: string): DepositProgress => ({
      ...base,
      stage: 'failed',
      confirmations,
      blknum: null,
      error: why,
    });
    if (receipt.status !== 1)
      return failed(
        'The deposit transaction failed on Ethereum; nothing was deposited and only the gas was spent.',
      );
    const vaults = [this.profile.contracts.ethVault, this.profile.contracts.erc20Vault].map((a) =>
      a.toLowerCase(),
    );
    let blknum: bigint | undefined;
    for (const log of receipt.logs) {
      if (!vaults.includes(log.address.toLowerCase())) continue;
      const parsed = ethVaultInterface.parseLog(log);
      if (parsed?.name === 'DepositCreated') blknum = parsed.args[1] as bigint;
    }
    if (blknum === undefined)
      return failed('This Ethereum transaction made no deposit into the Plasma vaults.');
    const stored = this.store.getDeposit(blknum) !== undefined;
    return {
      ...base,
      stage: stored ? 'spendable' : confirmations >= needed ? 'finalizing' : 'mined',
      confirmations,
      blknum: blknum.toString(),
      error: null,
    };
  }
}
