import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../database';
import { tempDir } from '../testing/tmp';
import { migration001 } from './001-chain-state';
import { migration002 } from './002-events';
import { migration003 } from './003-eth-checkpoints';

const tmp = tempDir();
afterAll(() => tmp.remove());

const H32 = Buffer.alloc(32, 0x11);

describe('migration 003 (eth checkpoints)', () => {
  it('keeps the rows of schema 2 and adds the checkpoint table', () => {
    const path = tmp.file();
    const v2 = openDatabase(path, { migrations: [migration001, migration002] });
    v2.prepare('INSERT INTO synced_heights VALUES (?, ?)').run('depositor', 42);
    v2.prepare(
      "INSERT INTO root_chain_events (eth_height, log_index, eth_txhash, name, args, first_seen_at) VALUES (40, 0, ?, 'ExitStarted', '{}', 1)",
    ).run(H32);
    v2.close();

    const v3 = openDatabase(path, { migrations: [migration001, migration002, migration003] });
    expect(schemaVersion(v3)).toBe(3);
    expect(v3.prepare('SELECT name, eth_height FROM synced_heights').raw().all()).toEqual([
      ['depositor', 42],
    ]);
    expect(v3.prepare('SELECT count(*) FROM root_chain_events').pluck().get()).toBe(1);
    expect(v3.prepare('SELECT count(*) FROM eth_checkpoints').pluck().get()).toBe(0);
    v3.close();
  });

  it('keeps one 32-byte hash per height', () => {
    const db = openDatabase(':memory:', { migrations: [migration001, migration002, migration003] });
    const insert = db.prepare('INSERT INTO eth_checkpoints (eth_height, block_hash) VALUES (?, ?)');
    insert.run(10, H32);
    expect(() => insert.run(10, H32)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run(11, Buffer.alloc(31))).toThrow(/CHECK/);
    expect(() => insert.run(-1, H32)).toThrow(/CHECK/);
    db.close();
  });
});
