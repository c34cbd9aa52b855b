import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from './database';
import { StoreError } from './errors';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';
import { tempDir } from './testing/tmp';

const tmp = tempDir();
afterAll(() => tmp.remove());

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return e as StoreError;
  }
  throw new Error('expected a StoreError');
}

const tables = (db: Database.Database): string[] =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];

describe('openDatabase', () => {
  it('opens a new file in WAL mode with synchronous FULL, foreign keys and a busy timeout', () => {
    const db = openDatabase(tmp.file());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('migrates a new database to the latest schema and a second open runs nothing again', () => {
    const path = tmp.file();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(tables(db)).toContain('outputs');
    db.prepare('INSERT INTO synced_heights VALUES (?, ?)').run('depositor', 7);
    db.close();
    const again = openDatabase(path);
    expect(schemaVersion(again)).toBe(LATEST_VERSION);
    expect(again.prepare('SELECT eth_height FROM synced_heights').pluck().get()).toBe(7);
    again.close();
  });

  it('works in memory too', () => {
    const db = openDatabase(':memory:');
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    db.close();
  });

  it('treats an empty file as a new database', () => {
    const path = tmp.file();
    writeFileSync(path, '');
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    db.close();
  });

  it('refuses a file that is not a SQLite database and leaves it byte for byte as it was', () => {
    const path = tmp.file();
    const content = 'my wallet notes, definitely not SQLite\n'.repeat(200);
    writeFileSync(path, content);
    const e = storeError(() => openDatabase(path));
    expect(e.code).toBe('corrupt_database');
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/left untouched/);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('refuses a SQLite file whose schema page is damaged, as corrupt_database', () => {
    const path = tmp.file();
    openDatabase(path).close();
    const bytes = readFileSync(path);
    bytes.fill(0xff, 100, 600); // the sqlite_master b-tree header and cell pointers of page 1
    writeFileSync(path, bytes);
    const before = readFileSync(path);
    const e = storeError(() => openDatabase(path));
    expect(e.code).toBe('corrupt_database');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('says which directory is missing when it cannot create the file', () => {
    const path = join(tmp.dir, 'no', 'such', 'dir', 'x.sqlite');
    const e = storeError(() => openDatabase(path));
    expect(e.code).toBe('cannot_open');
    expect(e.message).toContain(path);
  });

  it('refuses a database written by a newer Vigil, without modifying it', () => {
    const path = tmp.file();
    openDatabase(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 3}`);
    raw.close();
    const before = readFileSync(path);
    const e = storeError(() => openDatabase(path));
    expect(e.code).toBe('schema_too_new');
    expect(e.message).toContain(path);
    expect(e.message).toContain(`schema version ${LATEST_VERSION + 3}`);
    expect(e.message).toContain(`up to ${LATEST_VERSION}`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('migrations', () => {
  it('are numbered 1, 2, 3… in the order they run', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('refuses a list with a gap', () => {
    const [m1, m2] = MIGRATIONS as [Migration, Migration];
    const e = storeError(() => openDatabase(':memory:', { migrations: [m2, m1] }));
    expect(e.code).toBe('invalid_argument');
  });

  it('run each in its own transaction: a failure keeps the earlier ones and none of its own changes', () => {
    const path = tmp.file();
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER) STRICT');
        db.exec('INSERT INTO no_such_table VALUES (1)');
      },
    };
    const e = storeError(() => openDatabase(path, { migrations: [MIGRATIONS[0]!, broken] }));
    expect(e.code).toBe('migration_failed');
    expect(e.message).toContain('"broken"');
    expect(e.message).toContain('left at version 1');
    const db = new Database(path);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toContain('utxos');
    expect(tables(db)).not.toContain('half_done');
    db.close();
    // Fixed code then upgrades the same file normally.
    const fixed = openDatabase(path);
    expect(schemaVersion(fixed)).toBe(LATEST_VERSION);
    fixed.close();
  });

  it('upgrade an old database step by step to the latest version', () => {
    const path = tmp.file();
    openDatabase(path, { migrations: MIGRATIONS.slice(0, 1) }).close();
    const seen: number[] = [];
    const spy = MIGRATIONS.map((m) => ({
      ...m,
      up: (db: Database.Database) => (seen.push(m.version), m.up(db)),
    }));
    const db = openDatabase(path, { migrations: spy });
    expect(seen).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    db.close();
  });

  it('skip a migration another connection finished in the meantime', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 1');
    // migrate() read version 0 in another process's view; inside the transaction it sees 1.
    const ran: string[] = [];
    const list: Migration[] = [
      { version: 1, name: 'one', up: () => ran.push('one') },
      { version: 2, name: 'two', up: () => ran.push('two') },
    ];
    migrate(db, ':memory:', list);
    expect(ran).toEqual(['two']);
    db.close();
  });
});
