// Schema 5: every output is written once and stays where it was written; a spend is a narrow record
// beside it. Until schema 4 a spend moved the whole output row from `utxos` into `spends` (insert
// into spends and its two indexes, delete from utxos and its owner index): for the devnet's full
// block, 163,826 spends, that was ~1.5 s of the store writer's ~2.7 s. Now a spend is one insert
// into a narrow `spends` (and its spending-transaction index), and a reorg rollback deletes spend
// records instead of copying outputs back.
//
//   outputs        every output of an applied block or deposit, spent or not (schema 1's columns)
//   spends         how an output left the set: by a transaction or by an exit (no output columns)
//   utxos          VIEW: the outputs without a spend, with the columns of schema 1's table
//   spent_outputs  VIEW: each spend with its output, the columns of schema 1's `spends`
//
// The views keep the readers' SQL and the state digest as they were: the same rows come out of
// `utxos` and `spent_outputs` as came out of schema 4's `utxos` and `spends`. The owner index is on
// `outputs` (spent ones too), so the wallet's history finds an account's spent outputs through it
// and schema 4's spends_by_owner goes. Outputs created and spent within one block are still never
// written (the ledger nets them out), as before.
import type Database from 'better-sqlite3';
import type { Migration } from './types';

const OUTPUT_COLUMNS = 'output_type, owner, token, amount, creating_txhash';
const POSITION = 'blknum, txindex, oindex';
const SPEND_COLUMNS =
  'spent_by, spending_blknum, spending_txindex, exit_eth_height, exit_eth_txhash, exit_log_index, exit_id';

export const migration005: Migration = {
  version: 5,
  name: 'outputs-and-spends',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE outputs (
        blknum          INTEGER NOT NULL CHECK (blknum BETWEEN 1 AND 180143985094),
        txindex         INTEGER NOT NULL CHECK (txindex BETWEEN 0 AND 65535),
        oindex          INTEGER NOT NULL CHECK (oindex BETWEEN 0 AND 9999),
        output_type     INTEGER NOT NULL CHECK (output_type > 0),
        owner           BLOB NOT NULL CHECK (length(owner) = 20),
        token           BLOB NOT NULL CHECK (length(token) = 20),
        amount          TEXT NOT NULL CHECK (amount GLOB '[1-9]*' AND amount NOT GLOB '*[^0-9]*'
                                               AND length(amount) <= 78),
        creating_txhash BLOB NOT NULL CHECK (length(creating_txhash) = 32),
        PRIMARY KEY (blknum, txindex, oindex)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO outputs (${POSITION}, ${OUTPUT_COLUMNS})
        SELECT ${POSITION}, ${OUTPUT_COLUMNS} FROM utxos
        UNION ALL SELECT ${POSITION}, ${OUTPUT_COLUMNS} FROM spends;
      CREATE INDEX outputs_by_owner ON outputs (owner);

      CREATE TABLE spends_new (
        blknum            INTEGER NOT NULL,
        txindex           INTEGER NOT NULL,
        oindex            INTEGER NOT NULL,
        spent_by          TEXT NOT NULL CHECK (spent_by IN ('tx', 'exit')),
        spending_blknum   INTEGER,
        spending_txindex  INTEGER,
        exit_eth_height   INTEGER,
        exit_eth_txhash   BLOB CHECK (exit_eth_txhash IS NULL OR length(exit_eth_txhash) = 32),
        exit_log_index    INTEGER,
        exit_id           TEXT,
        PRIMARY KEY (blknum, txindex, oindex),
        FOREIGN KEY (blknum, txindex, oindex) REFERENCES outputs (blknum, txindex, oindex),
        CHECK (
          (spent_by = 'tx' AND spending_blknum IS NOT NULL AND spending_txindex IS NOT NULL
             AND exit_eth_height IS NULL)
          OR
          (spent_by = 'exit' AND spending_blknum IS NULL AND spending_txindex IS NULL
             AND exit_eth_height IS NOT NULL AND exit_eth_txhash IS NOT NULL
             AND exit_log_index IS NOT NULL)
        )
      ) STRICT, WITHOUT ROWID;
      INSERT INTO spends_new (${POSITION}, ${SPEND_COLUMNS})
        SELECT ${POSITION}, ${SPEND_COLUMNS} FROM spends;

      DROP TABLE utxos;
      DROP TABLE spends;
      ALTER TABLE spends_new RENAME TO spends;
      CREATE INDEX spends_by_spending_tx ON spends (spending_blknum, spending_txindex)
        WHERE spent_by = 'tx';
      CREATE INDEX spends_by_exit_height ON spends (exit_eth_height) WHERE spent_by = 'exit';

      -- The UTXO set.
      CREATE VIEW utxos AS
        SELECT o.blknum, o.txindex, o.oindex, o.output_type, o.owner, o.token, o.amount,
               o.creating_txhash
        FROM outputs o
        WHERE NOT EXISTS (SELECT 1 FROM spends s
                          WHERE s.blknum = o.blknum AND s.txindex = o.txindex AND s.oindex = o.oindex);

      -- Outputs that left the set, with how they left.
      CREATE VIEW spent_outputs AS
        SELECT o.blknum, o.txindex, o.oindex, o.output_type, o.owner, o.token, o.amount,
               o.creating_txhash, s.spent_by, s.spending_blknum, s.spending_txindex,
               s.exit_eth_height, s.exit_eth_txhash, s.exit_log_index, s.exit_id
        FROM spends s JOIN outputs o
          ON o.blknum = s.blknum AND o.txindex = s.txindex AND o.oindex = s.oindex;
    `);
  },
};
