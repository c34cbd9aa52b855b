import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../database';
import { migration001 } from './001-chain-state';

let db: Database.Database;
beforeEach(() => {
  db = openDatabase(':memory:', { migrations: [migration001] });
});
afterEach(() => db.close());

const columns = (table: string): string[] =>
  (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
const indexes = (table: string): string[] =>
  db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
    )
    .pluck()
    .all(table) as string[];

const A20 = Buffer.alloc(20, 0xaa);
const H32 = Buffer.alloc(32, 0x11);
const insertUtxo = (b: number, t: number, o: number, amount: string, owner = A20): void => {
  db.prepare('INSERT INTO utxos VALUES (?, ?, ?, 1, ?, ?, ?, ?)').run(
    b,
    t,
    o,
    owner,
    A20,
    amount,
    H32,
  );
};

describe('migration 001 (chain state)', () => {
  it('sets schema version 1 with the chain tables, their columns and indexes', () => {
    expect(schemaVersion(db)).toBe(1);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual([
      'blocks',
      'deployment',
      'deposits',
      'spends',
      'synced_heights',
      'transactions',
      'utxos',
    ]);
    expect(columns('utxos')).toEqual([
      'blknum',
      'txindex',
      'oindex',
      'output_type',
      'owner',
      'token',
      'amount',
      'creating_txhash',
    ]);
    expect(columns('spends')).toEqual([
      ...columns('utxos'),
      'spent_by',
      'spending_blknum',
      'spending_txindex',
      'exit_eth_height',
      'exit_eth_txhash',
      'exit_log_index',
      'exit_id',
    ]);
    expect(columns('transactions')).toEqual([
      'blknum',
      'txindex',
      'txhash',
      'signed_bytes',
      'tx_bytes',
    ]);
    expect(columns('blocks')).toEqual(['blknum', 'hash', 'eth_height', 'timestamp', 'tx_count']);
    expect(indexes('utxos')).toEqual(['utxos_by_owner']);
    expect(indexes('transactions')).toEqual(['transactions_by_txhash']);
    expect(indexes('spends')).toEqual(['spends_by_exit_height', 'spends_by_spending_tx']);
    expect(indexes('deposits')).toEqual(['deposits_by_eth_height', 'deposits_by_owner']);
  });

  it('keys outputs by (blknum, txindex, oindex), which orders them as positions order', () => {
    insertUtxo(2000, 1, 0, '5');
    insertUtxo(1000, 65535, 3, '5');
    insertUtxo(2000, 0, 1, '5');
    insertUtxo(180143985094, 65535, 9999, '5'); // the largest position the contracts accept
    const keys = db.prepare('SELECT blknum, txindex, oindex FROM utxos').raw().all();
    expect(keys).toEqual([
      [1000, 65535, 3],
      [2000, 0, 1],
      [2000, 1, 0],
      [180143985094, 65535, 9999],
    ]);
    expect(() => insertUtxo(2000, 1, 0, '6')).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it('accepts only canonical positive decimal amounts up to 78 digits', () => {
    const max = ((1n << 256n) - 1n).toString();
    insertUtxo(1, 0, 0, max);
    insertUtxo(1, 0, 1, '1');
    for (const bad of ['0', '01', '-5', '1e18', '12a', ' 1', '', `${max}0`]) {
      expect(() => insertUtxo(3, 0, 0, bad), bad).toThrow(/CHECK/);
    }
  });

  it('refuses positions outside the v1 bounds and addresses of the wrong length', () => {
    expect(() => insertUtxo(180143985095, 0, 0, '1')).toThrow(/CHECK/);
    expect(() => insertUtxo(1, 65536, 0, '1')).toThrow(/CHECK/);
    expect(() => insertUtxo(1, 0, 10000, '1')).toThrow(/CHECK/);
    expect(() => insertUtxo(0, 0, 0, '1')).toThrow(/CHECK/);
    expect(() => insertUtxo(1, 0, 0, '1', Buffer.alloc(19))).toThrow(/CHECK/);
  });

  it('enforces column types (STRICT tables)', () => {
    expect(() =>
      db.prepare('INSERT INTO utxos VALUES (1, 0, 0, 1, ?, ?, ?, ?)').run('0xaa', A20, '1', H32),
    ).toThrow(/cannot store TEXT value in BLOB column/);
  });

  it('records a spend as either a transaction or an exit, never a mix', () => {
    const spend = db.prepare(
      `INSERT INTO spends (blknum, txindex, oindex, output_type, owner, token, amount, creating_txhash,
         spent_by, spending_blknum, spending_txindex, exit_eth_height, exit_eth_txhash, exit_log_index)
       VALUES (?, 0, 0, 1, ?, ?, '1', ?, ?, ?, ?, ?, ?, ?)`,
    );
    spend.run(1, A20, A20, H32, 'tx', 1000, 3, null, null, null);
    spend.run(2, A20, A20, H32, 'exit', null, null, 77, H32, 0);
    expect(() => spend.run(3, A20, A20, H32, 'tx', null, null, null, null, null)).toThrow(/CHECK/);
    expect(() => spend.run(4, A20, A20, H32, 'exit', 1000, 3, 77, H32, 0)).toThrow(/CHECK/);
    expect(() => spend.run(5, A20, A20, H32, 'burnt', null, null, 77, H32, 0)).toThrow(/CHECK/);
  });

  it("deletes a block's transactions with the block, and refuses transactions of an unknown block", () => {
    db.prepare('INSERT INTO blocks VALUES (1000, ?, 5, 100, 1)').run(H32);
    const tx = db.prepare('INSERT INTO transactions VALUES (?, ?, ?, ?, ?)');
    tx.run(1000, 0, H32, Buffer.from([1]), Buffer.from([2]));
    expect(() => tx.run(2000, 0, H32, Buffer.from([1]), Buffer.from([2]))).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM blocks WHERE blknum = 1000').run();
    expect(db.prepare('SELECT count(*) FROM transactions').pluck().get()).toBe(0);
  });

  it('holds one deployment row only', () => {
    const insert = db.prepare('INSERT INTO deployment VALUES (?, 1337, ?, ?, ?, ?, ?, ?, 0)');
    insert.run(1, A20, H32, A20, A20, A20, A20);
    expect(() => insert.run(2, A20, H32, A20, A20, A20, A20)).toThrow(/CHECK/);
  });
});
