import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../database';
import { tempDir } from '../testing/tmp';
import { migration001 } from './001-chain-state';
import { migration002 } from './002-events';
import { migration003 } from './003-eth-checkpoints';
import { migration004 } from './004-spends-by-owner';

const tmp = tempDir();
afterAll(() => tmp.remove());

const OWNER = Buffer.alloc(20, 0xaa);
const TOKEN = Buffer.alloc(20, 0);
const H32 = Buffer.alloc(32, 0x11);

describe('migration 004 (spends by owner)', () => {
  it('keeps the spends of schema 3 and answers an owner lookup from the new index', () => {
    const path = tmp.file();
    const v3 = openDatabase(path, { migrations: [migration001, migration002, migration003] });
    v3.prepare(
      "INSERT INTO spends (blknum, txindex, oindex, output_type, owner, token, amount, creating_txhash, spent_by, spending_blknum, spending_txindex) VALUES (1000, 0, 0, 1, ?, ?, '5', ?, 'tx', 2000, 3)",
    ).run(OWNER, TOKEN, H32);
    v3.close();

    const v4 = openDatabase(path, {
      migrations: [migration001, migration002, migration003, migration004],
    });
    expect(schemaVersion(v4)).toBe(4);
    const lookup = 'SELECT spending_blknum, spending_txindex FROM spends WHERE owner = ?';
    const plan = v4.prepare(`EXPLAIN QUERY PLAN ${lookup}`).raw().all(OWNER).flat().join(' ');
    expect(plan).toContain('spends_by_owner');
    expect(v4.prepare(lookup).raw().all(OWNER)).toEqual([[2000, 3]]);
    v4.close();
  });
});
