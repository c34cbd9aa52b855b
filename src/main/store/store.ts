// The watcher's persistent state: one SQLite file per deployment holding the validated child chain,
// the UTXO set, the spend index, deposits, root-chain events and byzantine events. Every change the
// followers make is one SQLite transaction together with the Ethereum height it covers, so a crash at
// any moment resumes from a consistent point (DESIGN.md "How data flows" §2). Synchronous on purpose:
// the block executor asks `getUtxo` inline (UtxoLookup), and better-sqlite3 answers without a tick.
import type { Statement } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { BlockEffects, LedgerUtxo, UtxoLookup } from '../../plasma/ledger';
import { inclusionProof as merkleProof, verifyInclusion } from '../../plasma/merkle';
import { BLOCK_OFFSET } from '../../plasma/position';
import { encodeDeposit, txHash as hashTx } from '../../plasma/tx';
import { OUTPUT_TYPE_PAYMENT, type Address, type Hex } from '../../plasma/types';
import {
  addressBytes,
  amountText,
  blknumValue,
  decodeJson,
  encodeJson,
  hashBytes,
  joinPosition,
  requirePosition,
  splitPosition,
  toHex,
  userAddress,
  wholeNumber,
} from './codec';
import { openDatabase, type Db, type OpenOptions } from './database';
import { StoreError, translateSqliteError } from './errors';
import {
  checkHeights,
  compileBlockRowsWriter,
  packBlock,
  writerError,
  type BlockToApply,
  type BlockRowsWriter,
  type PackedPart,
  type PackedTransactions,
  type WriterFailure,
  type WriterSql,
} from './block-rows';

export type { BlockToApply, BlockTransaction } from './block-rows';

/** What makes a deployment itself (watcher.md §1.3.1): a database belongs to exactly one. */
export interface DeploymentIdentity {
  chainId: bigint;
  plasmaFramework: Address;
  deploymentTxHash: Hex;
  authority: Address;
  ethVault: Address;
  erc20Vault: Address;
  paymentExitGame: Address;
}

/** Synced Ethereum heights per follower (`depositor`, `block_getter`, `exit_processor`…). */
export type Heights = Readonly<Record<string, number>>;

export interface StoredBlock {
  blknum: bigint;
  hash: Hex;
  ethHeight: number;
  timestamp: number;
  txCount: number;
}

export interface StoredTransaction {
  blknum: bigint;
  txindex: number;
  txHash: Hex;
  signedBytes: Uint8Array;
  txBytes: Uint8Array;
}

export interface InclusionProof {
  blknum: bigint;
  txindex: number;
  txBytes: Uint8Array;
  /** 16 sibling hashes from the leaf up, 512 bytes (protocol.md §6.3). */
  proof: Uint8Array;
  root: Hex;
}

/** An output with where it is and which transaction created it. */
export interface StoredOutput extends LedgerUtxo {
  utxoPos: bigint;
  /** Hash of the creating transaction (for a deposit: of its deposit transaction). */
  txHash: Hex;
}

export interface DepositInput {
  blknum: bigint;
  owner: Address;
  token: Address;
  amount: bigint;
  ethHeight: number;
  ethTxHash: Hex;
  logIndex: number;
}

export interface StoredDeposit extends DepositInput {
  /** keccak of the deposit transaction (the exit data's `txBytes`). */
  txHash: Hex;
}

/** The Ethereum log that finalized an exit (ExitFinalized, or an in-flight exit's withdrawal). */
export interface ExitSpendInput {
  ethHeight: number;
  ethTxHash: Hex;
  logIndex: number;
  exitId?: bigint;
}

export type Spend =
  | {
      by: 'tx';
      utxoPos: bigint;
      output: StoredOutput;
      blknum: bigint;
      txindex: number;
      txHash: Hex;
    }
  | ({ by: 'exit'; utxoPos: bigint; output: StoredOutput } & ExitSpendInput);

export interface RootChainEventInput {
  ethHeight: number;
  logIndex: number;
  ethTxHash: Hex;
  /** The event's name (`ExitStarted`, `InFlightExitStarted`…). */
  name: string;
  /** Decoded arguments (and calldata enrichment); bigints and bytes survive the round trip. */
  args: Record<string, unknown>;
}

export interface RootChainEvent extends RootChainEventInput {
  id: number;
  /** Milliseconds since the epoch when this watcher first recorded it. */
  firstSeenAt: number;
}

export interface ByzantineEvent {
  id: number;
  kind: string;
  key: string;
  details: Record<string, unknown>;
  firstSeenAt: number;
  lastSeenAt: number;
  resolvedAt: number | undefined;
}

/** A block the followers synced past: its height and hash, to notice a deeper reorg later. */
export interface EthCheckpoint {
  ethHeight: number;
  blockHash: Hex;
}

export interface RollbackSummary {
  /** The first child block removed, if any was. */
  fromBlknum: bigint | undefined;
  blocksRemoved: number;
  depositsRemoved: number;
  eventsRemoved: number;
  exitSpendsUndone: number;
}

type Row = unknown[];

const DEPLOYMENT_FIELDS: readonly (readonly [keyof DeploymentIdentity, string])[] = [
  ['chainId', 'chain id'],
  ['plasmaFramework', 'plasma framework'],
  ['deploymentTxHash', 'deployment transaction'],
  ['authority', 'authority'],
  ['ethVault', 'ETH vault'],
  ['erc20Vault', 'ERC20 vault'],
  ['paymentExitGame', 'payment exit game'],
];

const OUTPUT_COLUMNS = 'output_type, owner, token, amount, creating_txhash';

/** The statements the block writer (block-rows.ts, also run on the writer worker) shares with the store. */
export const WRITER_SQL: WriterSql = {
  lastBlock: 'SELECT max(blknum) FROM blocks',
  insertOutput: `INSERT INTO outputs (blknum, txindex, oindex, ${OUTPUT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  setHeight: `INSERT INTO synced_heights (name, eth_height) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET eth_height = excluded.eth_height`,
};
const POS = 'blknum = ? AND txindex = ? AND oindex = ?';

function ledgerUtxoFromRow(row: Row): LedgerUtxo {
  return {
    outputType: BigInt(row[0] as number),
    owner: toHex(row[1] as Buffer),
    token: toHex(row[2] as Buffer),
    amount: BigInt(row[3] as string),
  };
}

function outputFromRow(row: Row, pos: bigint, offset = 0): StoredOutput {
  return {
    utxoPos: pos,
    outputType: BigInt(row[offset] as number),
    owner: toHex(row[offset + 1] as Buffer),
    token: toHex(row[offset + 2] as Buffer),
    amount: BigInt(row[offset + 3] as string),
    txHash: toHex(row[offset + 4] as Buffer),
  };
}

export class WatcherStore implements UtxoLookup {
  private readonly s: ReturnType<typeof prepare>;
  /** Writes packed blocks (the same routine as the store-writer worker's). */
  private readonly blockRows: BlockRowsWriter;
  private readonly applyDepositsTx: (
    deposits: readonly DepositInput[],
    heights: [string, number][],
  ) => number;
  private readonly rollbackTx: (ethHeight: number) => RollbackSummary;
  /**
   * The unspent outputs of the last block a block writer committed, held in memory for getUtxos:
   * blocks mostly spend recent outputs, and a Map hit is far cheaper than SQLite's two B-tree
   * searches through the `utxos` view (~0.5 s of the main thread for a full block's 163,826 inputs).
   * Exactly that block's outputs still unspent at its commit; positions of that block missing from it
   * are spent or never existed. Replaced by the next block's; dropped by any other write that can
   * take an output out of the set or rewrite a block (an exit, a rollback, a block written here).
   * Deposits add outputs at deposit positions only, so they leave it alone. Writes straight through
   * `db` bypass it: tests and tools that tamper must not expect getUtxos to see them.
   */
  private lastBlockOutputs:
    { from: bigint; to: bigint; outputs: ReadonlyMap<number, LedgerUtxo> } | undefined;

  /** Opens (creating and migrating as needed) the database at `path`, or ':memory:'. */
  static open(path: string, options?: OpenOptions): WatcherStore {
    return new WatcherStore(openDatabase(path, options), path);
  }

  constructor(
    /** The connection, for the few callers (tests, tools) that need SQL the store does not offer. */
    readonly db: Db,
    /** Where the database lives, for error messages. */
    readonly path: string = db.name,
  ) {
    this.s = prepare(db);
    this.blockRows = compileBlockRowsWriter(db, WRITER_SQL);
    this.applyDepositsTx = db.transaction(this.applyDepositRows.bind(this)).immediate;
    this.rollbackTx = db.transaction(this.rollbackRows.bind(this)).immediate;
  }

  close(): void {
    if (!this.db.open) return;
    // Lets SQLite refresh its query-planner statistics where they went stale; cheap, and
    // recommended for long-lived connections just before closing.
    this.db.pragma('optimize');
    this.db.close();
  }

  /**
   * Runs a read or write and turns SQLite's failures into StoreErrors (a failed write has been
   * rolled back by then), so callers only ever meet one error type.
   */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw translateSqliteError(e, this.path);
    }
  }

  /**
   * Runs `fn` in one SQLite transaction (a savepoint if one is already open): for followers that
   * combine several store calls with their synced height.
   */
  atomically<T>(fn: () => T): T {
    return this.guard(() => this.db.transaction(fn).immediate());
  }

  // ------------------------------------------------------------------------------------------------
  // Deployment

  /**
   * Records the deployment on first use; afterwards refuses a database that belongs to another
   * deployment (StoreError `wrong_deployment`), naming the fields that differ.
   */
  assertDeployment(identity: DeploymentIdentity): DeploymentIdentity {
    const given = normalizeIdentity(identity);
    return this.atomically(() => {
      const stored = this.deployment();
      if (!stored) {
        this.s.insertDeployment.run(
          given.chainId,
          addressBytes(given.plasmaFramework),
          hashBytes(given.deploymentTxHash),
          addressBytes(given.authority),
          addressBytes(given.ethVault),
          addressBytes(given.erc20Vault),
          addressBytes(given.paymentExitGame),
          Date.now(),
        );
        return given;
      }
      const differences = DEPLOYMENT_FIELDS.filter(([k]) => stored[k] !== given[k]).map(
        ([k, label]) =>
          `${label} is ${String(stored[k])} in the database but ${String(given[k])} in the configuration`,
      );
      if (differences.length > 0) {
        throw new StoreError(
          'wrong_deployment',
          `Refuses a database that belongs to another deployment: ${this.path} was created for ` +
            `another Plasma deployment (${differences.join('; ')}). Use a separate data directory ` +
            `for each network, or correct the configured contract addresses.`,
        );
      }
      return stored;
    });
  }

  /** The recorded deployment, if any. */
  deployment(): DeploymentIdentity | undefined {
    return this.guard(() => {
      const row = this.s.getDeployment.get() as Row | undefined;
      if (!row) return undefined;
      return {
        chainId: row[0] as bigint,
        plasmaFramework: toHex(row[1] as Buffer),
        deploymentTxHash: toHex(row[2] as Buffer),
        authority: toHex(row[3] as Buffer),
        ethVault: toHex(row[4] as Buffer),
        erc20Vault: toHex(row[5] as Buffer),
        paymentExitGame: toHex(row[6] as Buffer),
      };
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Synced heights

  getHeight(name: string): number | undefined {
    return this.guard(() => {
      return this.s.getHeight.get(name) as number | undefined;
    });
  }

  heights(): Record<string, number> {
    return this.guard(() => {
      const out: Record<string, number> = {};
      for (const [name, h] of this.s.allHeights.all() as [string, number][]) out[name] = h;
      return out;
    });
  }

  /** Persists synced heights alone (a follower that scanned a range with nothing in it). */
  setHeights(heights: Heights): void {
    const checked = checkHeights(heights);
    this.atomically(() => this.writeHeights(checked));
  }

  private writeHeights(heights: [string, number][]): void {
    for (const [name, h] of heights) this.s.setHeight.run(name, h);
  }

  // ------------------------------------------------------------------------------------------------
  // The UTXO set

  /** UtxoLookup for the block executor: the unspent output at `utxoPos`, if any. */
  getUtxo(utxoPos: bigint): LedgerUtxo | undefined {
    return this.guard(() => {
      const pos = splitPosition(utxoPos);
      if (!pos) return undefined;
      const row = this.s.getLedgerUtxo.get(pos[0], pos[1], pos[2]) as Row | undefined;
      return row ? ledgerUtxoFromRow(row) : undefined;
    });
  }

  /**
   * Looks up many positions in one statement: the positions go in as one JSON array that SQLite
   * joins against the set, and owners and tokens come back as hex text, not Buffers (a Buffer per
   * column was most of the cost of a row). About 3x less CPU than a statement per position for a full
   * block's ~160,000 inputs. A validator prefetches a block's inputs into a Map and hands the
   * executor a Map-backed UtxoLookup. Positions without an unspent output are absent from the result;
   * `into` collects several calls' results in one Map. The last committed block's outputs come from
   * memory (lastBlockOutputs), as the objects its executor created.
   */
  getUtxos(
    positions: Iterable<bigint>,
    into = new Map<bigint, LedgerUtxo>(),
  ): Map<bigint, LedgerUtxo> {
    const recent = this.lastBlockOutputs;
    return this.guard(() => {
      const asked: bigint[] = [];
      let json = '[';
      for (const p of positions) {
        if (recent && p >= recent.from && p < recent.to) {
          const output = recent.outputs.get(Number(p - recent.from));
          if (output) into.set(p, output);
          continue;
        }
        const parts = splitPosition(p);
        if (!parts) continue;
        json += `${asked.length === 0 ? '' : ','}[${parts[0]},${parts[1]},${parts[2]}]`;
        asked.push(p);
      }
      if (asked.length === 0) return into;
      for (const row of this.s.getLedgerUtxos.all(`${json}]`) as Row[])
        into.set(asked[row[0] as number]!, {
          outputType: BigInt(row[1] as number),
          owner: row[2] as Address,
          token: row[3] as Address,
          amount: BigInt(row[4] as string),
        });
      return into;
    });
  }

  /** Like getUtxo, with the position and the creating transaction's hash. */
  getOutput(utxoPos: bigint): StoredOutput | undefined {
    return this.guard(() => {
      const pos = splitPosition(utxoPos);
      if (!pos) return undefined;
      const row = this.s.getUtxo.get(pos[0], pos[1], pos[2]) as Row | undefined;
      return row ? outputFromRow(row, utxoPos) : undefined;
    });
  }

  /** Every unspent output of `address`, oldest position first. */
  utxosOf(address: Address): StoredOutput[] {
    return this.guard(() => {
      const owner = addressBytes(userAddress(address));
      return (this.s.utxosOf.all(owner) as Row[]).map((r) =>
        outputFromRow(r, joinPosition(r[5] as number, r[6] as number, r[7] as number)),
      );
    });
  }

  /** What `address` holds on the child chain, per token (tokens in ascending order). */
  balancesOf(address: Address): Map<Address, bigint> {
    return this.guard(() => {
      const owner = addressBytes(userAddress(address));
      const balances = new Map<Address, bigint>();
      for (const [token, amount] of this.s.balancesOf.all(owner) as [Buffer, string][]) {
        const t = toHex(token);
        balances.set(t, (balances.get(t) ?? 0n) + BigInt(amount));
      }
      return balances;
    });
  }

  /** How the output at `utxoPos` left the UTXO set, if it did. */
  spendOf(utxoPos: bigint): Spend | undefined {
    return this.guard(() => {
      const pos = splitPosition(utxoPos);
      if (!pos) return undefined;
      const row = this.s.spendOf.get(pos[0], pos[1], pos[2]) as Row | undefined;
      if (!row) return undefined;
      const output = outputFromRow(row, utxoPos);
      if (row[5] === 'tx') {
        return {
          by: 'tx',
          utxoPos,
          output,
          blknum: BigInt(row[6] as number),
          txindex: row[7] as number,
          txHash: toHex(row[12] as Buffer),
        };
      }
      return {
        by: 'exit',
        utxoPos,
        output,
        ethHeight: row[8] as number,
        ethTxHash: toHex(row[9] as Buffer),
        logIndex: row[10] as number,
        ...(row[11] === null ? {} : { exitId: BigInt(row[11] as string) }),
      };
    });
  }

  /**
   * An exit finalized on Ethereum: the output leaves the set (watcher.md §1.7). Returns the output
   * if it was unspent; undefined means it was already gone, i.e. an invalid finalization.
   */
  markSpentByExit(
    utxoPos: bigint,
    exit: ExitSpendInput,
    heights: Heights = {},
  ): StoredOutput | undefined {
    const pos = requirePosition(utxoPos);
    const ethHeight = wholeNumber(exit.ethHeight, 'exit eth height');
    const logIndex = wholeNumber(exit.logIndex, 'exit log index');
    const ethTxHash = hashBytes(exit.ethTxHash, 'exit transaction hash');
    const exitId = exit.exitId === undefined ? null : exit.exitId.toString();
    const checked = checkHeights(heights);
    return this.atomically(() => {
      const output = this.getOutput(utxoPos);
      if (output) {
        this.lastBlockOutputs = undefined;
        this.s.spendByExit.run(...pos, ethHeight, ethTxHash, logIndex, exitId);
      }
      this.writeHeights(checked);
      return output;
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Blocks

  /** The highest applied child block, 0n before the first (the spec's child_top_block_number). */
  lastAppliedBlock(): bigint {
    return this.guard(() => {
      const b = this.s.lastBlock.get() as number | null;
      return b === null ? 0n : BigInt(b);
    });
  }

  /**
   * Stores a validated block, its transactions, what it spent and created, and the synced heights,
   * in ONE transaction: after a crash the block is either entirely there or entirely absent, and
   * the heights always say so. Refuses a block that does not follow the last one applied.
   */
  applyBlock(block: BlockToApply, effects: BlockEffects, heights: Heights = {}): void {
    const packed = packBlock(block, effects);
    const failure = this.writePackedBlock(
      packed.transactions,
      [packed.effects],
      checkHeights(heights),
    );
    if (failure)
      throw writerError(failure, packed.transactions.blknum, [packed.context], this.path);
  }

  /**
   * Writes a block packed by block-rows.ts (its row and first transactions, then the parts: more
   * transactions and its effects in deltas), in one transaction with the heights
   * (the inline block writer's commit). Returns the writer's failure, if any; nothing is then written.
   */
  writePackedBlock(
    transactions: PackedTransactions,
    parts: readonly PackedPart[],
    heights: [string, number][],
  ): WriterFailure | undefined {
    this.lastBlockOutputs = undefined;
    return this.guard(() => this.blockRows.write(transactions, parts, heights));
  }

  /**
   * For the block writers (block-writer.ts), after a block's commit: its outputs still unspent, keyed
   * by their position within the block (utxoPos minus the block's first position: small integers,
   * much cheaper Map keys than bigints), which getUtxos then answers from memory until the next write
   * that can change them.
   */
  rememberCommittedOutputs(blknum: bigint, outputs: ReadonlyMap<number, LedgerUtxo>): void {
    const from = BigInt(blknumValue(blknum)) * BLOCK_OFFSET;
    this.lastBlockOutputs = { from, to: from + BLOCK_OFFSET, outputs };
  }

  getBlock(blknum: bigint): StoredBlock | undefined {
    return this.guard(() => {
      const row = this.s.getBlock.get(blknumValue(blknum)) as Row | undefined;
      if (!row) return undefined;
      return {
        blknum,
        hash: toHex(row[0] as Buffer),
        ethHeight: row[1] as number,
        timestamp: row[2] as number,
        txCount: row[3] as number,
      };
    });
  }

  /** The transactions of a stored block, in txindex order (empty if the block is not stored). */
  blockTransactions(blknum: bigint): StoredTransaction[] {
    return this.guard(() => {
      return (this.s.blockTxs.all(blknumValue(blknum)) as Row[]).map((r) => ({
        blknum,
        txindex: r[0] as number,
        txHash: toHex(r[1] as Buffer),
        signedBytes: r[2] as Buffer,
        txBytes: r[3] as Buffer,
      }));
    });
  }

  /** The oldest stored transaction with this hash. */
  getTransaction(txHash: Hex): StoredTransaction | undefined {
    return this.guard(() => {
      const row = this.s.txByHash.get(hashBytes(txHash, 'transaction hash')) as Row | undefined;
      if (!row) return undefined;
      return {
        blknum: BigInt(row[0] as number),
        txindex: row[1] as number,
        txHash: toHex(row[2] as Buffer),
        signedBytes: row[3] as Buffer,
        txBytes: row[4] as Buffer,
      };
    });
  }

  /**
   * The Merkle proof of a stored transaction, rebuilt from its block's unsigned transactions each
   * time (a full block takes a few hundred ms; nothing is cached, so memory stays flat). Checked
   * against the stored root before it is handed out: a proof that would fail on chain is an error.
   */
  inclusionProof(txHash: Hex): InclusionProof | undefined {
    return this.guard(() => {
      const tx = this.getTransaction(txHash);
      if (!tx) return undefined;
      const blknum = Number(tx.blknum);
      const txs = this.s.blockTxBytes.all(blknum) as Buffer[];
      const root = this.s.getBlock.get(blknum) as Row | undefined;
      const rootHex = root ? toHex(root[0] as Buffer) : undefined;
      const proof = merkleProof(txs, tx.txindex);
      if (!root || !verifyInclusion(tx.txBytes, tx.txindex, root[0] as Buffer, proof)) {
        throw new StoreError(
          'inconsistent_state',
          `The stored transactions of block ${blknum} no longer hash to its root ${rootHex ?? '(missing)'}; the ` +
            `database is damaged. Move it aside and let Vigil re-sync.`,
        );
      }
      return { blknum: tx.blknum, txindex: tx.txindex, txBytes: tx.txBytes, proof, root: rootHex! };
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Deposits

  /**
   * Stores deposits and their outputs with the depositor's synced height, in one transaction.
   * Idempotent for a deposit already stored; a different deposit under a stored block number means
   * the chain changed under us (StoreError `inconsistent_state`: roll back first). Returns how many
   * were new.
   */
  applyDeposits(deposits: readonly DepositInput[], heights: Heights = {}): number {
    const checked = checkHeights(heights);
    for (const d of deposits) {
      blknumValue(d.blknum, 'deposit block number');
      amountText(d.amount, 'deposit amount');
      wholeNumber(d.ethHeight, 'deposit eth height');
      wholeNumber(d.logIndex, 'deposit log index');
    }
    return this.guard(() => this.applyDepositsTx(deposits, checked));
  }

  private applyDepositRows(deposits: readonly DepositInput[], heights: [string, number][]): number {
    let added = 0;
    for (const d of deposits) {
      const owner = userAddress(d.owner, 'deposit owner');
      const token = userAddress(d.token, 'deposit token');
      const txHash = hashTx(encodeDeposit(owner, token, d.amount));
      const blknum = Number(d.blknum);
      const ethTxHash = hashBytes(d.ethTxHash, 'deposit transaction hash');
      const row = [
        blknum,
        addressBytes(owner),
        addressBytes(token),
        d.amount.toString(),
        hashBytes(txHash),
        d.ethHeight,
        ethTxHash,
        d.logIndex,
      ] as const;
      if (this.s.insertDeposit.run(...row).changes === 0) {
        const existing = this.s.getDeposit.get(blknum) as Row | undefined;
        const same =
          existing !== undefined &&
          row.every((v, i) =>
            Buffer.isBuffer(v) ? v.equals(existing[i] as Buffer) : v === existing[i],
          );
        if (same) continue;
        throw new StoreError(
          'inconsistent_state',
          `Deposit block ${blknum} (or log ${d.ethTxHash}:${d.logIndex}) is already stored with ` +
            `other content: Ethereum reorganised. Roll the store back below height ${d.ethHeight} first.`,
        );
      }
      this.s.insertOutput.run(blknum, 0, 0, OUTPUT_TYPE_PAYMENT, row[1], row[2], row[3], row[4]);
      added++;
    }
    this.writeHeights(heights);
    return added;
  }

  getDeposit(blknum: bigint): StoredDeposit | undefined {
    return this.guard(() => {
      const r = this.s.getDeposit.get(blknumValue(blknum)) as Row | undefined;
      if (!r) return undefined;
      return {
        blknum,
        owner: toHex(r[1] as Buffer),
        token: toHex(r[2] as Buffer),
        amount: BigInt(r[3] as string),
        txHash: toHex(r[4] as Buffer),
        ethHeight: r[5] as number,
        ethTxHash: toHex(r[6] as Buffer),
        logIndex: r[7] as number,
      };
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Root-chain events

  /**
   * Stores raw root-chain events with the synced heights; a log already stored (same transaction
   * hash and log index) is skipped. Returns how many were new.
   */
  recordEvents(
    events: readonly RootChainEventInput[],
    heights: Heights = {},
    now: number = Date.now(),
  ): number {
    const checked = checkHeights(heights);
    const rows = events.map((e) => {
      if (typeof e.name !== 'string' || e.name === '')
        throw new StoreError('invalid_argument', 'A root-chain event needs a name.');
      return [
        wholeNumber(e.ethHeight, 'event eth height'),
        wholeNumber(e.logIndex, 'event log index'),
        hashBytes(e.ethTxHash, 'event transaction hash'),
        e.name,
        encodeJson(e.args),
        now,
      ] as const;
    });
    return this.atomically(() => {
      let added = 0;
      for (const row of rows) added += this.s.insertEvent.run(...row).changes;
      this.writeHeights(checked);
      return added;
    });
  }

  /** Stored events in chain order (eth height, log index), optionally of some names and a height range. */
  events(
    filter: { names?: readonly string[]; fromEthHeight?: number; toEthHeight?: number } = {},
  ): RootChainEvent[] {
    return this.guard(() => {
      const from = filter.fromEthHeight ?? 0;
      const to = filter.toEthHeight ?? Number.MAX_SAFE_INTEGER;
      // With names, read through the (name, height) index: the exit processor asks every round for
      // a few exit events among every BlockSubmitted record.
      const rows = filter.names
        ? [...new Set(filter.names)]
            .flatMap((name) => this.s.eventsNamedBetween.all(name, from, to) as Row[])
            .sort(
              (a, b) => (a[1] as number) - (b[1] as number) || (a[2] as number) - (b[2] as number),
            )
        : (this.s.eventsBetween.all(from, to) as Row[]);
      return rows.map((r) => ({
        id: r[0] as number,
        ethHeight: r[1] as number,
        logIndex: r[2] as number,
        ethTxHash: toHex(r[3] as Buffer),
        name: r[4] as string,
        args: decodeJson<Record<string, unknown>>(r[5] as string),
        firstSeenAt: r[6] as number,
      }));
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Byzantine events and alarms

  /**
   * Records that a byzantine event (or alarm) is present now. The open event with the same kind and
   * key is refreshed (details, last seen); otherwise a new one opens. `isNew` tells the caller to notify.
   */
  upsertByzantineEvent(
    kind: string,
    key: string,
    details: Record<string, unknown>,
    now: number = Date.now(),
  ): { id: number; isNew: boolean } {
    if (kind === '') throw new StoreError('invalid_argument', 'A byzantine event needs a kind.');
    const json = encodeJson(details);
    return this.atomically(() => {
      const open = this.s.openByzantine.get(kind, key) as number | undefined;
      if (open !== undefined) {
        this.s.touchByzantine.run(json, now, open);
        return { id: open, isNew: false };
      }
      const id = Number(this.s.insertByzantine.run(kind, key, json, now, now).lastInsertRowid);
      return { id, isNew: true };
    });
  }

  /** Closes the open event of this kind and key; false if none was open. */
  resolveByzantineEvent(kind: string, key: string, now: number = Date.now()): boolean {
    return this.guard(() => this.s.resolveByzantine.run(now, kind, key).changes > 0);
  }

  /** Open events (and resolved ones if asked), oldest first. */
  byzantineEvents(options: { includeResolved?: boolean } = {}): ByzantineEvent[] {
    return this.guard(() => {
      const rows = (
        options.includeResolved ? this.s.allByzantine.all() : this.s.openByzantineAll.all()
      ) as Row[];
      return rows.map((r) => ({
        id: r[0] as number,
        kind: r[1] as string,
        key: r[2] as string,
        details: decodeJson<Record<string, unknown>>(r[3] as string),
        firstSeenAt: r[4] as number,
        lastSeenAt: r[5] as number,
        resolvedAt: r[6] === null ? undefined : (r[6] as number),
      }));
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Reorgs

  /**
   * Forgets everything learnt from Ethereum above `ethHeight` (a reorg deeper than the finality
   * margins): deposits and events above it, exit finalizations above it (their outputs come back),
   * and every child block from the first one that was submitted above it or that spends a removed
   * deposit, with all later blocks (blocks apply in order). Outputs they spent return to the
   * set (their spend records go); outputs those blocks created disappear. Synced heights are capped
   * at `ethHeight`. Byzantine events are left alone: the exit processor re-evaluates them.
   */
  rollbackTo(ethHeight: number): RollbackSummary {
    const h = wholeNumber(ethHeight, 'rollback height');
    this.lastBlockOutputs = undefined;
    return this.guard(() => this.rollbackTx(h));
  }

  private rollbackRows(h: number): RollbackSummary {
    const s = this.s;
    const first = s.firstBlockToRemove.get({ h }) as number | null;
    // An output comes back by losing its spend record: first those of exits finalized above the
    // height, then those of the removed blocks' transactions.
    const exitSpendsUndone = s.deleteExitSpends.run(h).changes;
    let blocksRemoved = 0;
    if (first !== null) {
      s.deleteTxSpends.run(first);
      // Outputs created by removed blocks (spent or not) no longer exist: their spend records
      // (exits) go first, the foreign key asks for it.
      s.deleteSpendsOfBlocks.run(first);
      s.deleteOutputsOfBlocks.run(first);
      blocksRemoved = s.deleteBlocks.run(first).changes; // transactions cascade
    }
    s.deleteSpendsOfDeposits.run(h);
    s.deleteOutputsOfDeposits.run(h);
    const depositsRemoved = s.deleteDeposits.run(h).changes;
    const eventsRemoved = s.deleteEvents.run(h).changes;
    s.deleteCheckpoints.run(h);
    s.capHeights.run(h, h);
    return {
      fromBlknum: first === null ? undefined : BigInt(first),
      blocksRemoved,
      depositsRemoved,
      eventsRemoved,
      exitSpendsUndone,
    };
  }

  // ------------------------------------------------------------------------------------------------
  // Ethereum checkpoints (migration 003): not part of the digest, they describe the node, not the chain.

  /** Records (or overwrites) checkpoints; call inside `atomically` with the heights they cover. */
  putCheckpoints(points: readonly EthCheckpoint[]): void {
    const rows = points.map(
      (p) =>
        [
          wholeNumber(p.ethHeight, 'checkpoint height'),
          hashBytes(p.blockHash, 'checkpoint block hash'),
        ] as const,
    );
    this.atomically(() => {
      for (const row of rows) this.s.putCheckpoint.run(...row);
    });
  }

  /** Checkpoints, newest first, at most `limit` of them. */
  checkpoints(limit = Number.MAX_SAFE_INTEGER): EthCheckpoint[] {
    return this.guard(() =>
      (this.s.checkpoints.all(wholeNumber(limit, 'checkpoint limit')) as Row[]).map((r) => ({
        ethHeight: r[0] as number,
        blockHash: toHex(r[1] as Buffer),
      })),
    );
  }

  /** Keeps the newest `keep` checkpoints and forgets the rest; returns how many went. */
  pruneCheckpoints(keep: number): number {
    const n = wholeNumber(keep, 'checkpoints to keep');
    return this.guard(() => this.s.pruneCheckpoints.run(n).changes);
  }

  // ------------------------------------------------------------------------------------------------
  // Digest

  /**
   * A SHA-256 over every consensus-relevant row (heights, blocks, transactions, UTXOs, spends,
   * deposits, root-chain events without their local first-seen times), in key order. Two stores
   * that processed the same chain have the same digest however often they crashed on the way.
   */
  stateDigest(): Hex {
    return this.guard((): Hex => {
      const hash = createHash('sha256');
      for (const [table, stmt] of this.s.digest) {
        hash.update(`#${table}\n`);
        for (const row of stmt.iterate() as IterableIterator<Row>) {
          let line = '';
          for (const v of row) {
            if (Buffer.isBuffer(v)) line += `b${v.toString('hex')}|`;
            else if (v === null) line += 'n|';
            else if (typeof v === 'string') line += `s${JSON.stringify(v)}|`;
            else line += `i${String(v)}|`;
          }
          hash.update(line + '\n');
        }
      }
      return `0x${hash.digest('hex')}`;
    });
  }
}

function normalizeIdentity(id: DeploymentIdentity): DeploymentIdentity {
  if (typeof id.chainId !== 'bigint' || id.chainId <= 0n || id.chainId >= 1n << 63n) {
    throw new StoreError(
      'invalid_argument',
      `The chain id must be a positive bigint below 2^63; got ${String(id.chainId)}.`,
    );
  }
  const hash = toHex(hashBytes(id.deploymentTxHash, 'deployment transaction hash'));
  return {
    chainId: id.chainId,
    plasmaFramework: userAddress(id.plasmaFramework, 'plasma framework address'),
    deploymentTxHash: hash,
    authority: userAddress(id.authority, 'authority address'),
    ethVault: userAddress(id.ethVault, 'ETH vault address'),
    erc20Vault: userAddress(id.erc20Vault, 'ERC20 vault address'),
    paymentExitGame: userAddress(id.paymentExitGame, 'payment exit game address'),
  };
}

function prepare(db: Db) {
  const raw = (sql: string): Statement => db.prepare(sql).raw();
  const pluck = (sql: string): Statement => db.prepare(sql).pluck();
  const run = (sql: string): Statement => db.prepare(sql);
  // Positions of the deposit outputs above a height (deposit outputs are (blknum, 0, 0)).
  const depositsAbove = (param: string): string =>
    `(blknum, txindex, oindex) IN (SELECT blknum, 0, 0 FROM deposits WHERE eth_height > ${param})`;
  return {
    getDeployment: raw(
      `SELECT chain_id, plasma_framework, deployment_txhash, authority, eth_vault, erc20_vault,
              payment_exit_game FROM deployment WHERE id = 1`,
    ).safeIntegers(true),
    insertDeployment: run(
      `INSERT INTO deployment (id, chain_id, plasma_framework, deployment_txhash, authority,
         eth_vault, erc20_vault, payment_exit_game, recorded_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    getHeight: pluck('SELECT eth_height FROM synced_heights WHERE name = ?'),
    allHeights: raw('SELECT name, eth_height FROM synced_heights ORDER BY name'),
    setHeight: run(WRITER_SQL.setHeight),
    getUtxo: raw(`SELECT ${OUTPUT_COLUMNS} FROM utxos WHERE ${POS}`),
    // The executor's hot path: only what LedgerUtxo needs (one Buffer fewer per lookup).
    getLedgerUtxo: raw(`SELECT output_type, owner, token, amount FROM utxos WHERE ${POS}`),
    // getUtxos: [[blknum, txindex, oindex], …] in, (index in that array, output) out, hex as text.
    getLedgerUtxos: raw(
      `SELECT j.key, u.output_type, '0x' || lower(hex(u.owner)), '0x' || lower(hex(u.token)),
              u.amount
       FROM json_each(?) j JOIN utxos u
         ON u.blknum = j.value ->> 0 AND u.txindex = j.value ->> 1 AND u.oindex = j.value ->> 2`,
    ),
    insertOutput: run(WRITER_SQL.insertOutput),
    utxosOf: raw(
      `SELECT ${OUTPUT_COLUMNS}, blknum, txindex, oindex FROM utxos WHERE owner = ?
       ORDER BY blknum, txindex, oindex`,
    ),
    balancesOf: raw('SELECT token, amount FROM utxos WHERE owner = ? ORDER BY token'),
    spendByExit: run(
      `INSERT INTO spends (blknum, txindex, oindex, spent_by, exit_eth_height, exit_eth_txhash,
         exit_log_index, exit_id) VALUES (?, ?, ?, 'exit', ?, ?, ?, ?)`,
    ),
    spendOf: raw(
      `SELECT s.output_type, s.owner, s.token, s.amount, s.creating_txhash, s.spent_by,
              s.spending_blknum, s.spending_txindex, s.exit_eth_height, s.exit_eth_txhash,
              s.exit_log_index, s.exit_id, t.txhash
       FROM spent_outputs s LEFT JOIN transactions t
         ON t.blknum = s.spending_blknum AND t.txindex = s.spending_txindex
       WHERE s.blknum = ? AND s.txindex = ? AND s.oindex = ?`,
    ),
    lastBlock: pluck(WRITER_SQL.lastBlock),
    getBlock: raw('SELECT hash, eth_height, timestamp, tx_count FROM blocks WHERE blknum = ?'),
    blockTxs: raw(
      'SELECT txindex, txhash, signed_bytes, tx_bytes FROM transactions WHERE blknum = ? ORDER BY txindex',
    ),
    blockTxBytes: pluck('SELECT tx_bytes FROM transactions WHERE blknum = ? ORDER BY txindex'),
    txByHash: raw(
      `SELECT blknum, txindex, txhash, signed_bytes, tx_bytes FROM transactions WHERE txhash = ?
       ORDER BY blknum, txindex LIMIT 1`,
    ),
    insertDeposit: run(
      `INSERT INTO deposits (blknum, owner, token, amount, txhash, eth_height, eth_txhash, log_index)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    getDeposit: raw(
      `SELECT blknum, owner, token, amount, txhash, eth_height, eth_txhash, log_index FROM deposits
       WHERE blknum = ?`,
    ),
    insertEvent: run(
      `INSERT INTO root_chain_events (eth_height, log_index, eth_txhash, name, args, first_seen_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (eth_txhash, log_index) DO NOTHING`,
    ),
    eventsBetween: raw(
      `SELECT id, eth_height, log_index, eth_txhash, name, args, first_seen_at FROM root_chain_events
       WHERE eth_height BETWEEN ? AND ? ORDER BY eth_height, log_index`,
    ),
    eventsNamedBetween: raw(
      `SELECT id, eth_height, log_index, eth_txhash, name, args, first_seen_at FROM root_chain_events
       WHERE name = ? AND eth_height BETWEEN ? AND ? ORDER BY eth_height, log_index`,
    ),
    openByzantine: pluck(
      'SELECT id FROM byzantine_events WHERE kind = ? AND dedup_key = ? AND resolved_at IS NULL',
    ),
    touchByzantine: run(
      'UPDATE byzantine_events SET details = ?, last_seen_at = max(last_seen_at, ?) WHERE id = ?',
    ),
    insertByzantine: run(
      `INSERT INTO byzantine_events (kind, dedup_key, details, first_seen_at, last_seen_at)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    resolveByzantine: run(
      `UPDATE byzantine_events SET resolved_at = max(?, first_seen_at)
       WHERE kind = ? AND dedup_key = ? AND resolved_at IS NULL`,
    ),
    openByzantineAll: raw(
      `SELECT id, kind, dedup_key, details, first_seen_at, last_seen_at, resolved_at
       FROM byzantine_events WHERE resolved_at IS NULL ORDER BY first_seen_at, id`,
    ),
    allByzantine: raw(
      `SELECT id, kind, dedup_key, details, first_seen_at, last_seen_at, resolved_at
       FROM byzantine_events ORDER BY first_seen_at, id`,
    ),
    // Rollback. The first block to remove: the first submitted above the height, or the first that
    // spends a deposit that goes.
    firstBlockToRemove: pluck(
      `SELECT min(b) FROM (
         SELECT min(blknum) AS b FROM blocks WHERE eth_height > @h
         UNION ALL
         SELECT min(spending_blknum) FROM spends WHERE spent_by = 'tx' AND ${depositsAbove('@h')}
       )`,
    ),
    deleteExitSpends: run(`DELETE FROM spends WHERE spent_by = 'exit' AND exit_eth_height > ?`),
    deleteTxSpends: run(`DELETE FROM spends WHERE spent_by = 'tx' AND spending_blknum >= ?`),
    deleteSpendsOfBlocks: run(
      'DELETE FROM spends WHERE blknum IN (SELECT blknum FROM blocks WHERE blknum >= ?)',
    ),
    deleteOutputsOfBlocks: run(
      'DELETE FROM outputs WHERE blknum IN (SELECT blknum FROM blocks WHERE blknum >= ?)',
    ),
    deleteBlocks: run('DELETE FROM blocks WHERE blknum >= ?'),
    deleteSpendsOfDeposits: run(`DELETE FROM spends WHERE ${depositsAbove('?')}`),
    deleteOutputsOfDeposits: run(`DELETE FROM outputs WHERE ${depositsAbove('?')}`),
    deleteDeposits: run('DELETE FROM deposits WHERE eth_height > ?'),
    deleteEvents: run('DELETE FROM root_chain_events WHERE eth_height > ?'),
    capHeights: run('UPDATE synced_heights SET eth_height = ? WHERE eth_height > ?'),
    putCheckpoint: run(
      'INSERT OR REPLACE INTO eth_checkpoints (eth_height, block_hash) VALUES (?, ?)',
    ),
    checkpoints: raw(
      'SELECT eth_height, block_hash FROM eth_checkpoints ORDER BY eth_height DESC LIMIT ?',
    ),
    pruneCheckpoints: run(
      `DELETE FROM eth_checkpoints WHERE eth_height NOT IN
         (SELECT eth_height FROM eth_checkpoints ORDER BY eth_height DESC LIMIT ?)`,
    ),
    deleteCheckpoints: run('DELETE FROM eth_checkpoints WHERE eth_height > ?'),
    digest: [
      ['synced_heights', raw('SELECT name, eth_height FROM synced_heights ORDER BY name')],
      [
        'blocks',
        raw('SELECT blknum, hash, eth_height, timestamp, tx_count FROM blocks ORDER BY blknum'),
      ],
      [
        'transactions',
        raw(
          'SELECT blknum, txindex, txhash, signed_bytes, tx_bytes FROM transactions ORDER BY blknum, txindex',
        ),
      ],
      [
        'utxos',
        raw(
          `SELECT blknum, txindex, oindex, ${OUTPUT_COLUMNS} FROM utxos ORDER BY blknum, txindex, oindex`,
        ),
      ],
      [
        'spends',
        raw(
          `SELECT blknum, txindex, oindex, ${OUTPUT_COLUMNS}, spent_by, spending_blknum,
                  spending_txindex, exit_eth_height, exit_eth_txhash, exit_log_index, exit_id
           FROM spent_outputs ORDER BY blknum, txindex, oindex`,
        ),
      ],
      [
        'deposits',
        raw(
          'SELECT blknum, owner, token, amount, txhash, eth_height, eth_txhash, log_index FROM deposits ORDER BY blknum',
        ),
      ],
      [
        'root_chain_events',
        raw(
          'SELECT eth_height, log_index, eth_txhash, name, args FROM root_chain_events ORDER BY eth_height, log_index, eth_txhash',
        ),
      ],
    ] as [string, Statement][],
  };
}
