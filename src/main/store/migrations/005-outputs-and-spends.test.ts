import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../database';
import { tempDir } from '../testing/tmp';
import { migration001 } from './001-chain-state';
import { migration002 } from './002-events';
import { migration003 } from './003-eth-checkpoints';
import { migration004 } from './004-spends-by-owner';
import { migration005 } from './005-outputs-and-spends';

const tmp = tempDir();
afterAll(() => tmp.remove());

const ALICE = Buffer.alloc(20, 0xaa);
const BOB = Buffer.alloc(20, 0xbb);
const ETH = Buffer.alloc(20, 0);
const H = (n: number): Buffer => Buffer.alloc(32, n);
const UP_TO_4 = [migration001, migration002, migration003, migration004];

// The rows a reader of schema 4 saw, in key order: the UTXO set and the spends with their outputs.
const UTXOS = `SELECT blknum, txindex, oindex, output_type, owner, token, amount, creating_txhash
  FROM utxos ORDER BY blknum, txindex, oindex`;
const spendsFrom = (source: string): string =>
  `SELECT blknum, txindex, oindex, output_type, owner, token, amount, creating_txhash, spent_by,
          spending_blknum, spending_txindex, exit_eth_height, exit_eth_txhash, exit_log_index, exit_id
   FROM ${source} ORDER BY blknum, txindex, oindex`;

const objects = (db: Database.Database, type: string): string[] =>
  db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .pluck()
    .all(type) as string[];
const plan = (db: Database.Database, sql: string, ...args: unknown[]): string =>
  db
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .raw()
    .all(...args)
    .flat()
    .join(' ');

/** A schema-4 database holding two unspent outputs, one spent by a transaction and one by an exit. */
function schema4(): { path: string; utxos: unknown[]; spends: unknown[] } {
  const path = tmp.file();
  const db = openDatabase(path, { migrations: UP_TO_4 });
  const utxo = db.prepare('INSERT INTO utxos VALUES (?, ?, ?, 1, ?, ?, ?, ?)');
  utxo.run(1, 0, 0, ALICE, ETH, '100', H(1));
  utxo.run(2000, 3, 1, BOB, ETH, '7', H(2));
  const spend = db.prepare(
    `INSERT INTO spends (blknum, txindex, oindex, output_type, owner, token, amount,
       creating_txhash, spent_by, spending_blknum, spending_txindex, exit_eth_height,
       exit_eth_txhash, exit_log_index, exit_id) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  spend.run(1000, 0, 0, ALICE, ETH, '50', H(3), 'tx', 2000, 3, null, null, null, null);
  spend.run(1000, 0, 1, BOB, ETH, '25', H(3), 'exit', null, null, 99, H(4), 2, '12345');
  const rows = {
    path,
    utxos: db.prepare(UTXOS).raw().all(),
    spends: db.prepare(spendsFrom('spends')).raw().all(),
  };
  db.close();
  return rows;
}

describe('migration 005 (outputs and spends)', () => {
  it('keeps every row a reader of schema 4 saw, through the utxos and spent_outputs views', () => {
    const before = schema4();
    expect(before.utxos).toHaveLength(2);
    expect(before.spends).toHaveLength(2);

    const db = openDatabase(before.path, { migrations: [...UP_TO_4, migration005] });
    expect(schemaVersion(db)).toBe(5);
    expect(objects(db, 'table')).toEqual(expect.arrayContaining(['outputs', 'spends']));
    expect(objects(db, 'table')).not.toContain('utxos');
    expect(objects(db, 'view')).toEqual(['spent_outputs', 'utxos']);
    expect(objects(db, 'index')).toEqual(
      expect.arrayContaining([
        'outputs_by_owner',
        'spends_by_exit_height',
        'spends_by_spending_tx',
      ]),
    );
    expect(objects(db, 'index')).not.toContain('spends_by_owner');

    expect(db.prepare(UTXOS).raw().all()).toEqual(before.utxos);
    expect(db.prepare(spendsFrom('spent_outputs')).raw().all()).toEqual(before.spends);
    expect(db.prepare('SELECT count(*) FROM outputs').pluck().get()).toBe(4);
    db.close();
  });

  it('answers lookups by position and by owner from the indexes', () => {
    const { path } = schema4();
    const db = openDatabase(path, { migrations: [...UP_TO_4, migration005] });
    const byPosition = plan(
      db,
      'SELECT owner FROM utxos WHERE blknum = ? AND txindex = ? AND oindex = ?',
      1,
      0,
      0,
    );
    expect(byPosition).toMatch(/SEARCH o USING PRIMARY KEY/);
    expect(byPosition).toMatch(/SEARCH s USING PRIMARY KEY/);
    expect(byPosition).not.toMatch(/SCAN/);
    expect(plan(db, 'SELECT amount FROM utxos WHERE owner = ?', ALICE)).toContain(
      'outputs_by_owner',
    );
    expect(
      plan(
        db,
        "SELECT amount FROM spent_outputs WHERE spent_by = 'tx' AND spending_blknum = ? AND spending_txindex = ?",
        2000,
        3,
      ),
    ).toContain('spends_by_spending_tx');
    db.close();
  });

  it('holds a spend to its output: no spend of a missing output, no output deleted under its spend', () => {
    const { path } = schema4();
    const db = openDatabase(path, { migrations: [...UP_TO_4, migration005] });
    expect(() =>
      db
        .prepare(
          "INSERT INTO spends (blknum, txindex, oindex, spent_by, spending_blknum, spending_txindex) VALUES (5, 0, 0, 'tx', 6000, 0)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db.prepare('DELETE FROM outputs WHERE blknum = 1000 AND oindex = 0').run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO spends (blknum, txindex, oindex, spent_by, spending_blknum, spending_txindex) VALUES (1000, 0, 0, 'tx', 3000, 0)",
        )
        .run(),
    ).toThrow(/UNIQUE|PRIMARY KEY/);
    // A spend record is all it takes to leave the set, and deleting it is all it takes to return.
    db.prepare(
      "INSERT INTO spends (blknum, txindex, oindex, spent_by, spending_blknum, spending_txindex) VALUES (1, 0, 0, 'tx', 3000, 0)",
    ).run();
    expect(db.prepare('SELECT count(*) FROM utxos WHERE owner = ?').pluck().get(ALICE)).toBe(0);
    db.prepare('DELETE FROM spends WHERE blknum = 1').run();
    expect(db.prepare('SELECT amount FROM utxos WHERE owner = ?').pluck().get(ALICE)).toBe('100');
    db.close();
  });

  it('upgrades an empty schema-4 database', () => {
    const path = tmp.file();
    openDatabase(path, { migrations: UP_TO_4 }).close();
    const db = openDatabase(path, { migrations: [...UP_TO_4, migration005] });
    expect(db.prepare('SELECT count(*) FROM utxos').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM spent_outputs').pluck().get()).toBe(0);
    db.close();
  });
});
