// Schema 3: checkpoints of the Ethereum chain the followers read, (height, block hash) of heights
// they synced past their finality margins. On each poll the follower compares the newest checkpoint
// with the node's block at that height; a different hash means a reorg deeper than the margins, and
// the newest checkpoint that still matches is the common ancestor to roll back to. A small table:
// the follower prunes it to its last few hundred rows.
import type Database from 'better-sqlite3';
import type { Migration } from './types';

export const migration003: Migration = {
  version: 3,
  name: 'eth-checkpoints',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE eth_checkpoints (
        eth_height  INTEGER PRIMARY KEY CHECK (eth_height >= 0),
        block_hash  BLOB NOT NULL CHECK (length(block_hash) = 32)
      ) STRICT;
    `);
  },
};
