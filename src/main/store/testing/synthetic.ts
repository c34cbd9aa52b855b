// A deterministic synthetic chain for the store's crash test, its unit tests and bench/store.ts:
// deposits, root-chain events, exit finalizations and child blocks whose effects are consistent with
// the UTXO set (every spend hits a live output), without keys or signatures, so that thousands of
// transactions cost microseconds to make. Transaction bytes are random, so Merkle roots are not real.
import type { BlockEffects, CreatedOutput, SpentInput } from '../../../plasma/ledger';
import { BLOCK_OFFSET, TX_OFFSET } from '../../../plasma/position';
import type { Address, Hex } from '../../../plasma/types';
import type {
  BlockToApply,
  BlockTransaction,
  DepositInput,
  DeploymentIdentity,
  ExitSpendInput,
  RootChainEventInput,
  WatcherStore,
} from '../store';

/** xorshift128+-style 32-bit generator: fast, seeded, identical on every run. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = seed | 0 || 0x9e3779b9;
    this.b = 0x243f6a88 ^ seed;
    this.c = 0xb7e15162;
    this.d = 0x85a308d3;
    for (let i = 0; i < 16; i++) this.next();
  }

  /** A uint32. */
  next(): number {
    let t = this.d;
    const s = this.a;
    this.d = this.c;
    this.c = this.b;
    this.b = s;
    t ^= t << 11;
    t ^= t >>> 8;
    this.a = (t ^ s ^ (s >>> 19)) >>> 0;
    return this.a;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + (this.next() % (hi - lo + 1));
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = this.next();
      out[i] = v & 0xff;
      if (i + 1 < n) out[i + 1] = (v >>> 8) & 0xff;
      if (i + 2 < n) out[i + 2] = (v >>> 16) & 0xff;
      if (i + 3 < n) out[i + 3] = v >>> 24;
    }
    return out;
  }

  hex(n: number): Hex {
    return `0x${Buffer.from(this.bytes(n)).toString('hex')}`;
  }
}

const address = (i: number): Address => `0x${(0xa11ce000 + i).toString(16).padStart(40, '0')}`;
/** A handful of owners and tokens, so balances and owner queries have something to aggregate. */
export const OWNERS: readonly Address[] = Array.from({ length: 16 }, (_, i) => address(i));
export const TOKENS: readonly Address[] = [
  '0x0000000000000000000000000000000000000000',
  '0x00000000000000000000000000000000000070c3',
  '0x0000000000000000000000000000000000001234',
];

const position = (blknum: bigint, txindex: number, oindex: number): bigint =>
  blknum * BLOCK_OFFSET + BigInt(txindex) * TX_OFFSET + BigInt(oindex);

export interface SyntheticBlock {
  block: BlockToApply;
  effects: BlockEffects;
}

/**
 * A block of `txCount` transactions spending inputs taken from `pool` (1–`maxInputs` each, fewer if
 * the pool runs dry) and creating `minOutputs`–`maxOutputs` (default 1–4) outputs each. Spent positions are removed from the pool; the new
 * outputs are appended after the block (nothing is created and spent in the same block).
 */
export function syntheticBlock(
  rng: Rng,
  blknum: bigint,
  ethHeight: number,
  txCount: number,
  pool: bigint[],
  shape: { maxInputs?: number; minOutputs?: number; maxOutputs?: number } = {},
): SyntheticBlock {
  const { maxInputs = 4, minOutputs = 1, maxOutputs = 4 } = shape;
  const transactions: BlockTransaction[] = [];
  const spent: SpentInput[] = [];
  const created: CreatedOutput[] = [];
  for (let txindex = 0; txindex < txCount; txindex++) {
    const inputs = Math.min(rng.int(1, maxInputs), pool.length);
    for (let i = 0; i < inputs; i++) {
      const at = rng.next() % pool.length;
      spent.push({ utxoPos: pool[at]!, txindex });
      pool[at] = pool[pool.length - 1]!;
      pool.pop();
    }
    const outputs = rng.int(minOutputs, maxOutputs);
    const txHash = rng.hex(32);
    for (let oindex = 0; oindex < outputs; oindex++) {
      created.push({
        utxoPos: position(blknum, txindex, oindex),
        outputType: 1n,
        owner: OWNERS[rng.next() % OWNERS.length]!,
        token: TOKENS[rng.next() % TOKENS.length]!,
        amount: BigInt(rng.next()) * 1_000_000_007n + 1n,
        txHash,
      });
    }
    // Realistic sizes: ~100 bytes of envelope plus 33 per input and 75 per output; 65 per signature.
    const txBytes = rng.bytes(100 + 33 * inputs + 75 * outputs);
    const signedBytes = new Uint8Array(65 * inputs + txBytes.length);
    signedBytes.set(rng.bytes(65 * inputs), 0);
    signedBytes.set(txBytes, 65 * inputs);
    transactions.push({ txindex, txHash, signedBytes, txBytes });
  }
  for (const c of created) pool.push(c.utxoPos);
  return {
    block: {
      blknum,
      hash: rng.hex(32),
      ethHeight,
      timestamp: 1_700_000_000 + ethHeight * 12,
      transactions,
    },
    effects: { blknum, spent, created, unclaimedFees: new Map() },
  };
}

/** Everything the synthetic chain does at one Ethereum height, in the order a watcher would. */
export interface SyntheticStep {
  ethHeight: number;
  deposits: DepositInput[];
  events: RootChainEventInput[];
  exits: { utxoPos: bigint; exit: ExitSpendInput }[];
  block: SyntheticBlock;
}

export interface ChainOptions {
  seed: number;
  /** Ethereum heights 1…`heights`, one child block each (blknum = height · 1000). */
  heights: number;
  txPerBlock: number;
}

/**
 * The synthetic chain, height by height. Deterministic in `seed`: a resumed run regenerates the same
 * steps and skips the ones the store already holds.
 */
export function* syntheticChain(options: ChainOptions): Generator<SyntheticStep> {
  const rng = new Rng(options.seed);
  const pool: bigint[] = [];
  for (let h = 1; h <= options.heights; h++) {
    const deposits: DepositInput[] = [];
    const depositCount = rng.int(1, 3);
    for (let k = 1; k <= depositCount; k++) {
      const blknum = BigInt((h - 1) * 1000 + k);
      deposits.push({
        blknum,
        owner: OWNERS[rng.next() % OWNERS.length]!,
        token: TOKENS[rng.next() % TOKENS.length]!,
        amount: BigInt(rng.next()) * 10n ** 12n + 1n,
        ethHeight: h,
        ethTxHash: rng.hex(32),
        logIndex: k,
      });
      pool.push(blknum * BLOCK_OFFSET);
    }
    const events: RootChainEventInput[] = [];
    if (h % 3 === 0) {
      events.push({
        ethHeight: h,
        logIndex: 7,
        ethTxHash: rng.hex(32),
        name: 'ExitStarted',
        args: { owner: OWNERS[h % OWNERS.length], exitId: BigInt(rng.next()) << 100n },
      });
    }
    const exits: SyntheticStep['exits'] = [];
    if (h % 5 === 0 && pool.length > 0) {
      const at = rng.next() % pool.length;
      exits.push({
        utxoPos: pool[at]!,
        exit: { ethHeight: h, ethTxHash: rng.hex(32), logIndex: 3, exitId: BigInt(h) },
      });
      pool[at] = pool[pool.length - 1]!;
      pool.pop();
    }
    const block = syntheticBlock(rng, BigInt(h) * 1000n, h, options.txPerBlock, pool);
    yield { ethHeight: h, deposits, events, exits, block };
  }
}

/**
 * Applies the parts of a step the store does not hold yet, each in its own transaction with its
 * follower's height, as the real followers do; so a crash between two parts resumes in the middle.
 */
export function applyStep(store: WatcherStore, step: SyntheticStep): void {
  const h = step.ethHeight;
  const behind = (name: string): boolean => (store.getHeight(name) ?? 0) < h;
  if (behind('depositor')) store.applyDeposits(step.deposits, { depositor: h });
  if (behind('exit_processor')) store.recordEvents(step.events, { exit_processor: h }, 0);
  if (behind('exit_finalizer')) {
    store.atomically(() => {
      for (const { utxoPos, exit } of step.exits) store.markSpentByExit(utxoPos, exit);
      store.setHeights({ exit_finalizer: h });
    });
  }
  if (store.lastAppliedBlock() < step.block.block.blknum) {
    store.applyBlock(step.block.block, step.block.effects, { block_getter: h });
  }
}

export const TEST_DEPLOYMENT: DeploymentIdentity = {
  chainId: 1337n,
  plasmaFramework: '0x00000000000000000000000000000000000f4a3e',
  deploymentTxHash: `0x${'d0'.repeat(32)}`,
  authority: '0x00000000000000000000000000000000000a0701',
  ethVault: '0x00000000000000000000000000000000000e7401',
  erc20Vault: '0x00000000000000000000000000000000000e2002',
  paymentExitGame: '0x00000000000000000000000000000000000e8103',
};
