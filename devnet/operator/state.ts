// The operator's own persistence: every formed block with its signed transactions, the deposits it
// has recognised, the outputs under exit, and the transactions accepted into the block being
// formed. The UTXO set is not stored: on start the operator replays its blocks through the shared
// ledger, so there is one source of truth and no second copy of the ledger rules.
import Database from 'better-sqlite3';
import type { Address, Hex } from '../../src/plasma';

export interface StoredBlock {
  blknum: bigint;
  hash: Hex;
  /** The signed transactions whose Merkle root was submitted. */
  transactions: Uint8Array[];
  /** Which of them the operator's own ledger applied (false for transactions a cheat injected). */
  applied: boolean[];
  /** The withholding cheat: the root is submitted, the contents are never served. */
  withheld: boolean;
  /** Set when the served contents differ from the honest contents (for the root-mismatch cheat). */
  servedTransactions: Uint8Array[] | null;
  submittedTx: Hex | null;
}

export interface StoredDeposit {
  blknum: bigint;
  owner: Address;
  token: Address;
  amount: bigint;
  ethHeight: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS blocks (
    blknum INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    withheld INTEGER NOT NULL DEFAULT 0,
    served BLOB,
    submitted_tx TEXT
  );
  CREATE TABLE IF NOT EXISTS transactions (
    blknum INTEGER NOT NULL,
    txindex INTEGER NOT NULL,
    signed BLOB NOT NULL,
    applied INTEGER NOT NULL,
    PRIMARY KEY (blknum, txindex)
  );
  CREATE TABLE IF NOT EXISTS deposits (
    blknum INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    token TEXT NOT NULL,
    amount TEXT NOT NULL,
    eth_height INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS exiting (utxo_pos TEXT PRIMARY KEY);
  CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, signed BLOB NOT NULL);
`;

/** A list of byte strings packed into one blob: 4-byte big-endian length before each. */
function packList(items: readonly Uint8Array[]): Buffer {
  const total = items.reduce((n, i) => n + 4 + i.length, 0);
  const out = Buffer.alloc(total);
  let at = 0;
  for (const item of items) {
    out.writeUInt32BE(item.length, at);
    out.set(item, at + 4);
    at += 4 + item.length;
  }
  return out;
}

function unpackList(blob: Buffer): Uint8Array[] {
  const items: Uint8Array[] = [];
  for (let at = 0; at < blob.length;) {
    const length = blob.readUInt32BE(at);
    items.push(new Uint8Array(blob.subarray(at + 4, at + 4 + length)));
    at += 4 + length;
  }
  return items;
}

export class OperatorState {
  readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // A formed block is submitted to Ethereum right after it is written: it must survive a power cut.
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  getMeta(key: string): string | undefined {
    return (
      this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
        { value: string } | undefined
    )?.value;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }

  /** Writes a formed block and empties the pending list, atomically. */
  saveBlock(block: {
    blknum: bigint;
    hash: Hex;
    transactions: readonly Uint8Array[];
    applied: readonly boolean[];
    withheld: boolean;
    served: readonly Uint8Array[] | null;
  }): void {
    const insertBlock = this.db.prepare(
      'INSERT INTO blocks (blknum, hash, withheld, served) VALUES (?, ?, ?, ?)',
    );
    const insertTx = this.db.prepare(
      'INSERT INTO transactions (blknum, txindex, signed, applied) VALUES (?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      insertBlock.run(
        block.blknum,
        block.hash,
        block.withheld ? 1 : 0,
        block.served ? packList(block.served) : null,
      );
      block.transactions.forEach((tx, i) =>
        insertTx.run(block.blknum, i, tx, block.applied[i] ? 1 : 0),
      );
      this.db.prepare('DELETE FROM pending').run();
    })();
  }

  markSubmitted(blknum: bigint, ethTx: Hex): void {
    this.db.prepare('UPDATE blocks SET submitted_tx = ? WHERE blknum = ?').run(ethTx, blknum);
  }

  private toBlock(row: {
    blknum: number;
    hash: string;
    withheld: number;
    served: Buffer | null;
    submitted_tx: string | null;
  }): StoredBlock {
    const rows = this.db
      .prepare('SELECT signed, applied FROM transactions WHERE blknum = ? ORDER BY txindex')
      .all(row.blknum) as {
      signed: Buffer;
      applied: number;
    }[];
    return {
      blknum: BigInt(row.blknum),
      hash: row.hash as Hex,
      transactions: rows.map((r) => new Uint8Array(r.signed)),
      applied: rows.map((r) => r.applied === 1),
      withheld: row.withheld === 1,
      servedTransactions: row.served ? unpackList(row.served) : null,
      submittedTx: (row.submitted_tx as Hex | null) ?? null,
    };
  }

  blocks(): StoredBlock[] {
    const rows = this.db.prepare('SELECT * FROM blocks ORDER BY blknum').all() as Parameters<
      OperatorState['toBlock']
    >[0][];
    return rows.map((r) => this.toBlock(r));
  }

  blockByHash(hash: string): StoredBlock | undefined {
    const row = this.db.prepare('SELECT * FROM blocks WHERE hash = ?').get(hash.toLowerCase()) as
      Parameters<OperatorState['toBlock']>[0] | undefined;
    return row ? this.toBlock(row) : undefined;
  }

  unsubmittedBlocks(): { blknum: bigint; hash: Hex }[] {
    return (
      this.db
        .prepare('SELECT blknum, hash FROM blocks WHERE submitted_tx IS NULL ORDER BY blknum')
        .all() as { blknum: number; hash: string }[]
    ).map((r) => ({ blknum: BigInt(r.blknum), hash: r.hash as Hex }));
  }

  lastBlknum(): bigint {
    const row = this.db.prepare('SELECT MAX(blknum) AS m FROM blocks').get() as {
      m: number | null;
    };
    return BigInt(row.m ?? 0);
  }

  /** Any honest transaction of a formed block (the root_mismatch cheat serves one in an empty block). */
  anyAppliedTransaction(): Uint8Array | undefined {
    const row = this.db
      .prepare('SELECT signed FROM transactions WHERE applied = 1 ORDER BY blknum, txindex LIMIT 1')
      .get() as { signed: Buffer } | undefined;
    return row ? new Uint8Array(row.signed) : undefined;
  }

  addDeposit(d: StoredDeposit): boolean {
    const r = this.db
      .prepare(
        'INSERT OR IGNORE INTO deposits (blknum, owner, token, amount, eth_height) VALUES (?, ?, ?, ?, ?)',
      )
      .run(d.blknum, d.owner, d.token, d.amount.toString(), d.ethHeight);
    return r.changes === 1;
  }

  deposits(): StoredDeposit[] {
    return (
      this.db.prepare('SELECT * FROM deposits ORDER BY blknum').all() as {
        blknum: number;
        owner: string;
        token: string;
        amount: string;
        eth_height: number;
      }[]
    ).map((r) => ({
      blknum: BigInt(r.blknum),
      owner: r.owner as Address,
      token: r.token as Address,
      amount: BigInt(r.amount),
      ethHeight: r.eth_height,
    }));
  }

  addExiting(utxoPos: bigint): void {
    this.db.prepare('INSERT OR IGNORE INTO exiting (utxo_pos) VALUES (?)').run(utxoPos.toString());
  }

  exiting(): bigint[] {
    return (this.db.prepare('SELECT utxo_pos FROM exiting').all() as { utxo_pos: string }[]).map(
      (r) => BigInt(r.utxo_pos),
    );
  }

  private insertPending: Database.Statement | undefined;

  addPending(signed: Uint8Array): void {
    this.insertPending ??= this.db.prepare('INSERT INTO pending (signed) VALUES (?)');
    this.insertPending.run(signed);
  }

  pending(): Uint8Array[] {
    return (
      this.db.prepare('SELECT signed FROM pending ORDER BY seq').all() as { signed: Buffer }[]
    ).map((r) => new Uint8Array(r.signed));
  }
}
