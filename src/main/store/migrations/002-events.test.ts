import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../database';
import { tempDir } from '../testing/tmp';
import { migration001 } from './001-chain-state';
import { migration002 } from './002-events';

const tmp = tempDir();
afterAll(() => tmp.remove());

const A20 = Buffer.alloc(20, 0xaa);
const H32 = Buffer.alloc(32, 0x11);

function chainSnapshot(db: Database.Database): unknown[] {
  return [
    'deployment',
    'synced_heights',
    'blocks',
    'transactions',
    'utxos',
    'spends',
    'deposits',
  ].map((t) => db.prepare(`SELECT * FROM ${t}`).raw().all());
}

describe('migration 002 (events)', () => {
  it('keeps every row written under schema 1 and adds the event tables', () => {
    const path = tmp.file();
    const v1 = openDatabase(path, { migrations: [migration001] });
    v1.prepare('INSERT INTO deployment VALUES (1, 1337, ?, ?, ?, ?, ?, ?, 42)').run(
      A20,
      H32,
      A20,
      A20,
      A20,
      A20,
    );
    v1.prepare('INSERT INTO synced_heights VALUES (?, ?)').run('block_getter', 99);
    v1.prepare('INSERT INTO blocks VALUES (1000, ?, 90, 1700000000, 1)').run(H32);
    v1.prepare('INSERT INTO transactions VALUES (1000, 0, ?, ?, ?)').run(
      H32,
      Buffer.from('signed'),
      Buffer.from('raw'),
    );
    v1.prepare("INSERT INTO utxos VALUES (1000, 0, 0, 1, ?, ?, '12345678901234567890123', ?)").run(
      A20,
      A20,
      H32,
    );
    v1.prepare(
      "INSERT INTO spends (blknum, txindex, oindex, output_type, owner, token, amount, creating_txhash, spent_by, spending_blknum, spending_txindex) VALUES (1, 0, 0, 1, ?, ?, '7', ?, 'tx', 1000, 0)",
    ).run(A20, A20, H32);
    v1.prepare("INSERT INTO deposits VALUES (1, ?, ?, '7', ?, 80, ?, 0)").run(A20, A20, H32, H32);
    const before = chainSnapshot(v1);
    v1.close();

    const v2 = openDatabase(path, { migrations: [migration001, migration002] });
    expect(schemaVersion(v2)).toBe(2);
    expect(chainSnapshot(v2)).toEqual(before);
    const tables = v2.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['root_chain_events', 'byzantine_events']));
    v2.close();
  });

  it('identifies a root-chain log by (transaction hash, log index) and wants JSON arguments', () => {
    const db = openDatabase(':memory:', { migrations: [migration001, migration002] });
    const insert = db.prepare(
      'INSERT INTO root_chain_events (eth_height, log_index, eth_txhash, name, args, first_seen_at) VALUES (?, ?, ?, ?, ?, 0)',
    );
    insert.run(10, 0, H32, 'ExitStarted', '{"exitId":"5n"}');
    insert.run(10, 1, H32, 'ExitStarted', '{}');
    expect(() => insert.run(11, 0, H32, 'ExitFinalized', '{}')).toThrow(/UNIQUE/);
    expect(() => insert.run(12, 0, Buffer.alloc(32), 'ExitFinalized', '{not json')).toThrow(
      /CHECK/,
    );
    db.close();
  });

  it('allows one open byzantine event per (kind, key), and any number of resolved ones', () => {
    const db = openDatabase(':memory:', { migrations: [migration001, migration002] });
    const insert = db.prepare(
      "INSERT INTO byzantine_events (kind, dedup_key, details, first_seen_at, last_seen_at, resolved_at) VALUES ('invalid_exit', 'k', '{}', 1, 1, ?)",
    );
    insert.run(5);
    insert.run(6);
    insert.run(null);
    expect(() => insert.run(null)).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO byzantine_events (kind, dedup_key, details, first_seen_at, last_seen_at) VALUES ('x', 'k', '{}', 5, 4)",
        )
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});
