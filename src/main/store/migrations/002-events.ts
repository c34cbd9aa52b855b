// Schema 2: what the watcher has seen happen, as opposed to the chain state of schema 1.
// - Root-chain events (ExitStarted, InFlightExitStarted, piggybacks, challenges…) are kept raw, as
//   decoded from the logs, and interpreted by the exit processor later; storing them raw means a
//   better interpretation never needs a re-sync from Ethereum. A log is identified by
//   (transaction hash, log index), which makes recording idempotent.
// - Byzantine events and alarms (watcher.md §2) with a dedup key: at most one open row per
//   (kind, key); a resolved one stays as history and a recurrence opens a new row.
import type Database from 'better-sqlite3';
import type { Migration } from './types';

export const migration002: Migration = {
  version: 2,
  name: 'events',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE root_chain_events (
        id             INTEGER PRIMARY KEY,
        eth_height     INTEGER NOT NULL CHECK (eth_height >= 0),
        log_index      INTEGER NOT NULL CHECK (log_index >= 0),
        eth_txhash     BLOB NOT NULL CHECK (length(eth_txhash) = 32),
        name           TEXT NOT NULL CHECK (name <> ''),
        -- JSON object; bigints are written as "123n" strings (see store.ts) so they come back exact.
        args           TEXT NOT NULL CHECK (json_valid(args)),
        first_seen_at  INTEGER NOT NULL,
        UNIQUE (eth_txhash, log_index)
      ) STRICT;
      CREATE INDEX root_chain_events_by_height ON root_chain_events (eth_height, log_index);
      CREATE INDEX root_chain_events_by_name ON root_chain_events (name, eth_height, log_index);

      CREATE TABLE byzantine_events (
        id             INTEGER PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind <> ''),
        dedup_key      TEXT NOT NULL,
        details        TEXT NOT NULL CHECK (json_valid(details)),
        first_seen_at  INTEGER NOT NULL,
        last_seen_at   INTEGER NOT NULL CHECK (last_seen_at >= first_seen_at),
        resolved_at    INTEGER CHECK (resolved_at IS NULL OR resolved_at >= first_seen_at)
      ) STRICT;
      -- One open event per (kind, key): the upsert in store.ts targets this partial index.
      CREATE UNIQUE INDEX byzantine_events_open ON byzantine_events (kind, dedup_key)
        WHERE resolved_at IS NULL;
    `);
  },
};
