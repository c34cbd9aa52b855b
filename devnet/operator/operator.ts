// The devnet operator as one object: its state, its child chain, its Ethereum link and its loops.
// Forms a block every `blockIntervalMs` when it has transactions (at once when a block is full),
// then submits the root; polls Ethereum for deposits and exits.
import { Wallet } from 'ethers';
import {
  jsRecoverer,
  normalizeAddress,
  type Address,
  type FeeTable,
  type Hex,
  type SignatureRecoverer,
} from '../../src/plasma';
import { ChildChain, type FormedBlock } from './chain';
import { CheatError, EXIT_CHEATS, type Cheat } from './cheats';
import { RootChainLink, type RootChainAddresses } from './root-chain';
import { OperatorState } from './state';

export interface OperatorConfig {
  dataFile: string;
  rpcUrl: string;
  addresses: RootChainAddresses;
  frameworkDeployBlock: number;
  authorityKey: Hex;
  fees: FeeTable;
  blockIntervalMs: number;
  pollIntervalMs: number;
  depositFinalityMargin: number;
  exitFinalityMargin: number;
  feeClaims?: 'none' | 'elixir';
  recoverer?: SignatureRecoverer;
  log?: (message: string) => void;
}

export class Operator {
  readonly state: OperatorState;
  readonly chain: ChildChain;
  readonly link: RootChainLink;
  readonly startedAt = Date.now();
  readonly address: Address;
  private timers: NodeJS.Timeout[] = [];
  /** Loops in progress: polling Ethereum and forming blocks run side by side, each never twice. */
  private readonly busy = new Set<'poll' | 'form'>();
  private lastError: string | null = null;

  constructor(readonly config: OperatorConfig) {
    this.state = new OperatorState(config.dataFile);
    const framework = this.state.getMeta('framework');
    if (framework && framework !== config.addresses.plasmaFramework.toLowerCase()) {
      this.state.close();
      throw new Error(
        `The operator data in ${config.dataFile} belongs to framework ${framework}, not ${config.addresses.plasmaFramework}; start with --fresh.`,
      );
    }
    this.state.setMeta('framework', config.addresses.plasmaFramework.toLowerCase());
    this.address = normalizeAddress(new Wallet(config.authorityKey).address);
    this.chain = new ChildChain({
      state: this.state,
      verifyingContract: normalizeAddress(config.addresses.plasmaFramework),
      operatorKey: config.authorityKey,
      operatorAddress: this.address,
      fees: config.fees,
      recoverer: config.recoverer ?? jsRecoverer,
      feeClaims: config.feeClaims ?? 'none',
    });
    this.link = new RootChainLink(this.chain, this.state, {
      rpcUrl: config.rpcUrl,
      addresses: config.addresses,
      authorityKey: config.authorityKey,
      depositFinalityMargin: config.depositFinalityMargin,
      exitFinalityMargin: config.exitFinalityMargin,
      startHeight: config.frameworkDeployBlock,
    });
  }

  get fees(): FeeTable {
    return this.config.fees;
  }

  async start(): Promise<void> {
    await this.chain.init();
    await this.link.tick();
    this.timers.push(
      setInterval(
        () => void this.guard('poll', () => this.link.tick()),
        this.config.pollIntervalMs,
      ),
    );
    this.timers.push(
      setInterval(
        () => void this.guard('form', () => this.formAndSubmit()),
        this.config.blockIntervalMs,
      ),
    );
  }

  private async guard(loop: 'poll' | 'form', work: () => Promise<unknown>): Promise<void> {
    if (this.busy.has(loop)) return;
    this.busy.add(loop);
    try {
      await work();
      this.lastError = null;
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      this.config.log?.(`operator: ${this.lastError}`);
    } finally {
      this.busy.delete(loop);
    }
  }

  /** Called after each accepted submission: a full block is formed at once. */
  afterSubmit(): void {
    if (this.chain.isFull) void this.guard('form', () => this.formAndSubmit());
  }

  async formAndSubmit(): Promise<FormedBlock | null> {
    const block = await this.chain.formBlock();
    if (block)
      this.config.log?.(
        `formed block ${block.blknum} with ${block.transactionCount} transactions, root ${block.hash}`,
      );
    await this.link.submitBlocks();
    return block;
  }

  /** Arms or performs a cheat; returns what was done. */
  async cheat(
    name: Cheat,
  ): Promise<{ cheat: Cheat; armed?: boolean; exitTx?: Hex; exitedUtxoPos?: bigint }> {
    if (!(name in EXIT_CHEATS)) {
      this.chain.arm(name);
      this.config.log?.(`cheat armed: ${name}`);
      return { cheat: name, armed: true };
    }
    return this.invalidExit();
  }

  /** Spends an operator output in a block, then exits that spent output on Ethereum. */
  private async invalidExit(): Promise<{ cheat: Cheat; exitTx: Hex; exitedUtxoPos: bigint }> {
    const own = this.chain.utxosOf(this.address).find((u) => u.utxo.outputType === 1n);
    if (!own)
      throw new CheatError(
        'The operator owns no output on the child chain; deposit to the operator account first.',
      );
    const fee = this.config.fees.get(own.utxo.token) ?? 0n;
    if (own.utxo.amount <= fee)
      throw new CheatError('The operator output is too small to pay the fee.');
    await this.chain.submitOwn(own.utxoPos, own.utxo, fee);
    await this.formAndSubmit();
    const exitTx = await this.link.startExitOfSpentOutput(own.utxoPos);
    this.config.log?.(`cheat: started an exit of spent output ${own.utxoPos} in ${exitTx}`);
    return { cheat: 'invalid_exit', exitTx, exitedUtxoPos: own.utxoPos };
  }

  alarms(): object[] {
    return this.lastError
      ? [
          {
            block_submit_stalled: {
              node: 'vigil-devnet',
              reporter: 'Operator',
              reason: this.lastError,
            },
          },
        ]
      : [];
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    while (this.busy.size > 0) await new Promise((r) => setTimeout(r, 20));
    this.link.provider.destroy();
    this.state.close();
  }
}
