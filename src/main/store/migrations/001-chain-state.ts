// Schema 1: the chain state the watcher needs to validate every block and to exit or challenge
// without anybody's help (watcher.md §1.6): which deployment this is, how far each follower has
// synced, the child blocks with their transactions, the UTXO set, the spend index and the deposits.
//
// Representation choices (all tables STRICT, so SQLite enforces the declared types):
// - Positions are split into blknum / txindex / oindex INTEGER columns. A utxoPos reaches ~1.8e20,
//   beyond int64, but each part fits easily (blknum ≤ 180143985094); a composite primary key on the
//   parts orders rows exactly as the protocol orders positions, and lookups stay integer compares.
// - Amounts are uint256 and stored as canonical decimal TEXT (no sign, no leading zero, ≤ 78
//   digits, enforced by CHECK). SQLite cannot add uint256 in either TEXT or BLOB form, so sums happen
//   in JS as bigint anyway; decimal converts to and from bigint natively (no hex round trip) and stays
//   readable in the sqlite3 shell when someone has to look at a user's database.
// - Addresses (20 B), hashes (32 B) and transaction bytes are BLOBs of checked length: half the size of
//   hex text, which matters for the owner index and the txhash index over millions of rows.
// - Spent outputs move from `utxos` into `spends` with their full content, so `utxos` is exactly the
//   live set (small index, fast lookups) while a rollback can put a spent output back unchanged.
import type Database from 'better-sqlite3';
import type { Migration } from './types';

// Canonical uint256 decimal: digits only, no leading zero, at most 78 digits (2^256 has 78).
const positiveAmount = (col: string): string =>
  `CHECK (${col} GLOB '[1-9]*' AND ${col} NOT GLOB '*[^0-9]*' AND length(${col}) <= 78)`;
const bytes = (col: string, n: number): string => `CHECK (length(${col}) = ${n})`;
// The v1 position bounds (protocol.md §4.1); rows outside them could never be exited anyway.
const position = `
  blknum  INTEGER NOT NULL CHECK (blknum BETWEEN 1 AND 180143985094),
  txindex INTEGER NOT NULL CHECK (txindex BETWEEN 0 AND 65535),
  oindex  INTEGER NOT NULL CHECK (oindex BETWEEN 0 AND 9999)`;
const output = `
  output_type     INTEGER NOT NULL CHECK (output_type > 0),
  owner           BLOB NOT NULL ${bytes('owner', 20)},
  token           BLOB NOT NULL ${bytes('token', 20)},
  amount          TEXT NOT NULL ${positiveAmount('amount')},
  creating_txhash BLOB NOT NULL ${bytes('creating_txhash', 32)}`;

export const migration001: Migration = {
  version: 1,
  name: 'chain-state',
  up(db: Database.Database): void {
    db.exec(`
      -- Exactly one row: the deployment this database belongs to (watcher.md §1.3.1), so a database is
      -- never silently reused against another network or another set of contracts.
      CREATE TABLE deployment (
        id                 INTEGER PRIMARY KEY CHECK (id = 1),
        chain_id           INTEGER NOT NULL CHECK (chain_id > 0),
        plasma_framework   BLOB NOT NULL ${bytes('plasma_framework', 20)},
        deployment_txhash  BLOB NOT NULL ${bytes('deployment_txhash', 32)},
        authority          BLOB NOT NULL ${bytes('authority', 20)},
        eth_vault          BLOB NOT NULL ${bytes('eth_vault', 20)},
        erc20_vault        BLOB NOT NULL ${bytes('erc20_vault', 20)},
        payment_exit_game  BLOB NOT NULL ${bytes('payment_exit_game', 20)},
        recorded_at        INTEGER NOT NULL
      ) STRICT;

      -- The Ethereum height each follower (depositor, block_getter, exit_processor…) has processed.
      -- Written in the same transaction as the data it covers, so a restart resumes exactly there.
      CREATE TABLE synced_heights (
        name        TEXT PRIMARY KEY,
        eth_height  INTEGER NOT NULL CHECK (eth_height >= 0)
      ) STRICT, WITHOUT ROWID;

      -- Applied (validated) child blocks. Deposit blocks live in \`deposits\`.
      CREATE TABLE blocks (
        blknum      INTEGER PRIMARY KEY CHECK (blknum BETWEEN 1 AND 180143985094),
        hash        BLOB NOT NULL ${bytes('hash', 32)},
        eth_height  INTEGER NOT NULL CHECK (eth_height >= 0),
        timestamp   INTEGER NOT NULL CHECK (timestamp >= 0),
        tx_count    INTEGER NOT NULL CHECK (tx_count BETWEEN 0 AND 65536)
      ) STRICT;
      -- A reorg rollback looks for the first block submitted above a height.
      CREATE INDEX blocks_by_eth_height ON blocks (eth_height);

      -- Every transaction of every applied block: signed bytes to serve and to challenge with,
      -- unsigned bytes for Merkle proofs and exit data. Never pruned (watcher.md §1.6).
      CREATE TABLE transactions (
        blknum        INTEGER NOT NULL REFERENCES blocks (blknum) ON DELETE CASCADE,
        txindex       INTEGER NOT NULL CHECK (txindex BETWEEN 0 AND 65535),
        txhash        BLOB NOT NULL ${bytes('txhash', 32)},
        signed_bytes  BLOB NOT NULL,
        tx_bytes      BLOB NOT NULL,
        PRIMARY KEY (blknum, txindex)
      ) STRICT;
      -- Not UNIQUE: the ledger, not the store, decides which blocks are valid.
      CREATE INDEX transactions_by_txhash ON transactions (txhash);

      -- The UTXO set: outputs that exist and are unspent.
      CREATE TABLE utxos (
        ${position},
        ${output},
        PRIMARY KEY (blknum, txindex, oindex)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX utxos_by_owner ON utxos (owner);

      -- Outputs that left the set: by a transaction of an applied block (spent_by = 'tx') or by an
      -- exit that finalized on Ethereum (spent_by = 'exit'). Keeps the output itself so a rollback
      -- can restore it, and answers "who spent this output?" for challenges.
      CREATE TABLE spends (
        ${position},
        ${output},
        spent_by          TEXT NOT NULL CHECK (spent_by IN ('tx', 'exit')),
        spending_blknum   INTEGER,
        spending_txindex  INTEGER,
        exit_eth_height   INTEGER,
        exit_eth_txhash   BLOB CHECK (exit_eth_txhash IS NULL OR length(exit_eth_txhash) = 32),
        exit_log_index    INTEGER,
        exit_id           TEXT,
        PRIMARY KEY (blknum, txindex, oindex),
        CHECK (
          (spent_by = 'tx' AND spending_blknum IS NOT NULL AND spending_txindex IS NOT NULL
             AND exit_eth_height IS NULL)
          OR
          (spent_by = 'exit' AND spending_blknum IS NULL AND spending_txindex IS NULL
             AND exit_eth_height IS NOT NULL AND exit_eth_txhash IS NOT NULL
             AND exit_log_index IS NOT NULL)
        )
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX spends_by_spending_tx ON spends (spending_blknum, spending_txindex)
        WHERE spent_by = 'tx';
      CREATE INDEX spends_by_exit_height ON spends (exit_eth_height) WHERE spent_by = 'exit';

      -- Deposits seen on Ethereum (DepositCreated), each the only output of its deposit block.
      CREATE TABLE deposits (
        blknum      INTEGER PRIMARY KEY CHECK (blknum BETWEEN 1 AND 180143985094),
        owner       BLOB NOT NULL ${bytes('owner', 20)},
        token       BLOB NOT NULL ${bytes('token', 20)},
        amount      TEXT NOT NULL ${positiveAmount('amount')},
        txhash      BLOB NOT NULL ${bytes('txhash', 32)},
        eth_height  INTEGER NOT NULL CHECK (eth_height >= 0),
        eth_txhash  BLOB NOT NULL ${bytes('eth_txhash', 32)},
        log_index   INTEGER NOT NULL CHECK (log_index >= 0),
        UNIQUE (eth_txhash, log_index)
      ) STRICT;
      CREATE INDEX deposits_by_eth_height ON deposits (eth_height);
      CREATE INDEX deposits_by_owner ON deposits (owner);
    `);
  },
};
