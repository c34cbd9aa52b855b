// The operator's link to Ethereum: submits block roots in order, recognises deposits after the
// finality margin, makes outputs under exit unspendable, and (devnet only) starts an invalid exit
// on command. Reads and writes go through the protocol library's call encoders.
import { JsonRpcProvider, Wallet, type Log } from 'ethers';
import {
  decodeSignedTransaction,
  depositProof,
  encodeDeposit,
  decodeUtxoPos,
  inclusionProof,
  isDepositBlknum,
  normalizeAddress,
  type Address,
  type Hex,
} from '../../src/plasma';
import {
  erc20VaultInterface,
  ethVaultInterface,
  nextChildBlockCall,
  paymentExitGameInterface,
  plasmaFrameworkInterface,
  standardExitsCall,
  startStandardExitBondSizeCall,
  startStandardExitTx,
  type CallRequest,
  type TxRequest,
} from '../../src/plasma/contracts';
import { Mutex, type ChildChain } from './chain';
import { CheatError } from './cheats';
import type { OperatorState } from './state';

export interface RootChainAddresses {
  plasmaFramework: Address;
  ethVault: Address;
  erc20Vault: Address;
  paymentExitGame: Address;
}

export interface RootChainOptions {
  rpcUrl: string;
  addresses: RootChainAddresses;
  authorityKey: Hex;
  /** Ethereum blocks a deposit must be buried under before it is spendable. */
  depositFinalityMargin: number;
  /** Ethereum blocks an exit event must be buried under before the operator reacts. */
  exitFinalityMargin: number;
  /** The height the framework was deployed at: nothing to scan before it. */
  startHeight: number;
  /** Largest eth_getLogs range per request. */
  logRange?: number;
}

export function devnetProvider(rpcUrl: string): JsonRpcProvider {
  // cacheTimeout -1: never reuse a cached nonce or block number (anvil mines instantly).
  return new JsonRpcProvider(rpcUrl, undefined, {
    cacheTimeout: -1,
    batchMaxCount: 1,
    staticNetwork: true,
    // anvil mines at once: poll for receipts every 50 ms, not ethers' default 4 s.
    pollingInterval: 50,
  });
}

export class RootChainLink {
  readonly provider: JsonRpcProvider;
  readonly authority: Wallet;
  private readonly submitting = new Mutex();
  private readonly sending = new Mutex();

  constructor(
    private readonly chain: ChildChain,
    private readonly state: OperatorState,
    private readonly options: RootChainOptions,
  ) {
    this.provider = devnetProvider(options.rpcUrl);
    this.authority = new Wallet(options.authorityKey, this.provider);
  }

  private async call(request: CallRequest): Promise<string> {
    return this.provider.call(request);
  }

  /** One authority transaction at a time, so that two callers never pick the same nonce. */
  private send(request: TxRequest): Promise<Hex> {
    return this.sending.run(() => this.sendNow(request));
  }

  private async sendNow(request: TxRequest): Promise<Hex> {
    const response = await this.authority.sendTransaction({
      to: request.to,
      data: request.data,
      value: request.value ?? 0n,
    });
    const receipt = await response.wait();
    if (!receipt || receipt.status !== 1)
      throw new Error(`Ethereum transaction ${response.hash} failed.`);
    return response.hash as Hex;
  }

  /**
   * Submits every formed block whose root is not yet on chain, in block order. Serialised: two
   * overlapping calls (the block timer and devnet.form_block) would otherwise both submit the same
   * root, and the framework would file the second copy under the next block number.
   */
  submitBlocks(): Promise<number> {
    return this.submitting.run(() => this.submitPending());
  }

  private async submitPending(): Promise<number> {
    let submitted = 0;
    for (const block of this.state.unsubmittedBlocks()) {
      const [next] = plasmaFrameworkInterface.decodeFunctionResult(
        'nextChildBlock',
        await this.call(nextChildBlockCall(this.options.addresses.plasmaFramework)),
      );
      const onChainNext = next as bigint;
      if (onChainNext > block.blknum) {
        // Submitted before a crash, after the transaction was sent but before we recorded it.
        this.state.markSubmitted(block.blknum, '0x');
        continue;
      }
      if (onChainNext < block.blknum)
        throw new Error(`Block ${block.blknum} cannot be submitted before block ${onChainNext}.`);
      const data = plasmaFrameworkInterface.encodeFunctionData('submitBlock', [block.hash]) as Hex;
      const hash = await this.send({ to: this.options.addresses.plasmaFramework, data });
      this.state.markSubmitted(block.blknum, hash);
      submitted++;
    }
    return submitted;
  }

  private async scan(
    key: string,
    margin: number,
    fetch: (from: number, to: number) => Promise<void>,
  ): Promise<void> {
    const head = await this.provider.getBlockNumber();
    const safe = head - margin;
    let from = Number(this.state.getMeta(key) ?? this.options.startHeight - 1) + 1;
    const range = this.options.logRange ?? 1000;
    while (from <= safe) {
      const to = Math.min(safe, from + range - 1);
      await fetch(from, to);
      this.state.setMeta(key, String(to));
      from = to + 1;
    }
  }

  /** Deposits buried under the finality margin become spendable. Returns how many were new. */
  async followDeposits(): Promise<number> {
    let added = 0;
    const topic = ethVaultInterface.getEvent('DepositCreated')!.topicHash;
    await this.scan(
      'deposits_scanned_to',
      this.options.depositFinalityMargin,
      async (fromBlock, toBlock) => {
        const logs = await this.provider.getLogs({
          address: [this.options.addresses.ethVault, this.options.addresses.erc20Vault],
          topics: [topic],
          fromBlock,
          toBlock,
        });
        for (const log of logs) {
          const iface =
            normalizeAddress(log.address) === normalizeAddress(this.options.addresses.ethVault)
              ? ethVaultInterface
              : erc20VaultInterface;
          const parsed = iface.parseLog(log)!;
          const deposit = {
            blknum: parsed.args[1] as bigint,
            owner: normalizeAddress(parsed.args[0] as string),
            token: normalizeAddress(parsed.args[2] as string),
            amount: parsed.args[3] as bigint,
            ethHeight: log.blockNumber,
          };
          if (this.chain.addDeposit(deposit)) added++;
        }
      },
    );
    return added;
  }

  /** Outputs whose standard exit started become unspendable (positions read from the contract, spec Q3). */
  async followExits(): Promise<number> {
    let marked = 0;
    const topic = paymentExitGameInterface.getEvent('ExitStarted')!.topicHash;
    await this.scan(
      'exits_scanned_to',
      this.options.exitFinalityMargin,
      async (fromBlock, toBlock) => {
        const logs: Log[] = await this.provider.getLogs({
          address: this.options.addresses.paymentExitGame,
          topics: [topic],
          fromBlock,
          toBlock,
        });
        for (const log of logs) {
          const exitId = paymentExitGameInterface.parseLog(log)!.args[1] as bigint;
          const raw = await this.call(
            standardExitsCall(this.options.addresses.paymentExitGame, [exitId]),
          );
          const [exits] = paymentExitGameInterface.decodeFunctionResult('standardExits', raw);
          const utxoPos = (exits as unknown as { utxoPos: bigint }[])[0]?.utxoPos;
          if (utxoPos !== undefined && utxoPos > 0n) {
            this.chain.markExiting(utxoPos);
            marked++;
          }
        }
      },
    );
    return marked;
  }

  async tick(): Promise<void> {
    await this.followDeposits();
    await this.followExits();
    await this.submitBlocks();
  }

  /**
   * The invalid_exit cheat, step 2: exits `utxoPos`, an operator output that a formed and submitted
   * block has already spent. Returns the Ethereum transaction hash.
   */
  async startExitOfSpentOutput(utxoPos: bigint): Promise<Hex> {
    const { blknum, txindex } = decodeUtxoPos(utxoPos);
    let outputTx: Uint8Array;
    let proof: Uint8Array;
    if (isDepositBlknum(blknum)) {
      const deposit = this.state.deposits().find((d) => d.blknum === blknum);
      if (!deposit) throw new CheatError(`The operator does not know deposit block ${blknum}.`);
      outputTx = encodeDeposit(deposit.owner, deposit.token, deposit.amount);
      proof = depositProof();
    } else {
      const block = this.state.blocks().find((b) => b.blknum === blknum);
      if (!block) throw new CheatError(`The operator does not know block ${blknum}.`);
      const unsigned = block.transactions.map((t) => decodeSignedTransaction(t).txBytes);
      outputTx = unsigned[Number(txindex)]!;
      proof = inclusionProof(unsigned, Number(txindex));
    }
    const [bond] = paymentExitGameInterface.decodeFunctionResult(
      'startStandardExitBondSize',
      await this.call(startStandardExitBondSizeCall(this.options.addresses.paymentExitGame)),
    );
    return this.send(
      startStandardExitTx(this.options.addresses.paymentExitGame, {
        utxoPos,
        outputTx,
        outputTxInclusionProof: proof,
        bond: bond as bigint,
      }),
    );
  }
}
