// Opens the watcher's SQLite file, sets it up for crash safety and brings its schema up to date with
// the numbered migrations in ./migrations. Refuses, without writing a byte, files that are not SQLite
// databases and databases written by a newer Vigil: both would otherwise be silently damaged.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { StoreError, isCorruptionError } from './errors';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** The migrations to run (tests pass shorter or broken lists); defaults to all of them. */
  migrations?: readonly Migration[];
  /** How long a statement waits for another connection's lock before failing; 5 s by default. */
  busyTimeoutMs?: number;
}

const MEMORY = ':memory:';
// The first 16 bytes of every SQLite 3 database file.
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function corrupt(path: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    'corrupt_database',
    `${path} is not a usable Vigil database (${detail}). It was left untouched; move it aside ` +
      `(or restore a backup) and start again, and Vigil will re-sync from Ethereum.`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Reads the first bytes of an existing file and refuses anything but a SQLite database, before
 * SQLite gets a chance to touch it. An empty file is fine: SQLite treats it as a new database.
 */
function checkHeader(path: string): void {
  if (path === MEMORY || !existsSync(path)) return;
  const size = statSync(path).size;
  if (size === 0) return;
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (size < SQLITE_HEADER.length || !head.equals(SQLITE_HEADER)) {
    throw corrupt(path, 'it does not start with the SQLite header');
  }
}

/**
 * The settings of every connection to a store file, in order: the store's own and the store-writer
 * worker's (block-writer.ts) run the same list.
 */
export function connectionPragmas(busyTimeoutMs: number): string[] {
  return [
    // First, so that switching to WAL below waits for another process's lock instead of failing.
    `busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`,
    // WAL: readers never block the writer, and a commit is one sequential append to the log.
    'journal_mode = WAL',
    // FULL, not NORMAL. In WAL mode both keep the file consistent through a crash or a power cut; the
    // difference is what a power cut (not a process crash: there both lose nothing) can take back:
    // NORMAL fsyncs only at checkpoints, so the last transactions committed before the cut can vanish;
    // FULL fsyncs the log at every commit, so nothing committed is ever lost. We commit once per block
    // (not per row), so FULL costs one fsync per block, a few milliseconds. And what NORMAL could lose
    // is not always recoverable: a block we downloaded and validated may never be served again by an
    // operator who starts withholding, and we need its transactions to exit and to challenge.
    'synchronous = FULL',
    'foreign_keys = ON',
    // A full block writes ~100 MB to the log; after each checkpoint, shrink the file back to 64 MB
    // instead of keeping the high-water mark on disk forever.
    'journal_size_limit = 67108864',
  ];
}

function configure(db: Db, busyTimeoutMs: number): void {
  for (const pragma of connectionPragmas(busyTimeoutMs)) db.pragma(pragma);
}

function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StoreError(
        'invalid_argument',
        `Migration "${m.name}" has version ${m.version} but is number ${i + 1} in the list; ` +
          `migrations must be numbered 1, 2, 3… without gaps.`,
      );
    }
  });
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Runs every migration the database has not seen, each in its own IMMEDIATE transaction together
 * with the `user_version` bump: a crash or an error leaves the database at the last complete version.
 * The version is re-read inside the transaction, so two processes opening the same new file at once
 * cannot both run a migration.
 */
export function migrate(db: Db, path: string, migrations: readonly Migration[] = MIGRATIONS): void {
  checkMigrationList(migrations);
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new StoreError(
      'schema_too_new',
      `${path} has schema version ${current}, but this Vigil knows versions up to ${latest}: it was ` +
        `written by a newer Vigil. Update Vigil, or point it at another data directory; the ` +
        `database was not modified.`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    const step = db.transaction(() => {
      const now = schemaVersion(db);
      if (now >= m.version) return; // another connection got here first
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      step.immediate();
    } catch (e) {
      if (isCorruptionError(e)) throw corrupt(path, errorMessage(e), e);
      throw new StoreError(
        'migration_failed',
        `Could not upgrade ${path} to schema version ${m.version} ("${m.name}"): ${errorMessage(e)}. ` +
          `The database was left at version ${schemaVersion(db)}; report this with the log.`,
        { cause: e },
      );
    }
  }
}

/**
 * Opens (creating if needed) the database at `path`, or an in-memory one for ':memory:', configured
 * for crash safety and migrated to the latest schema. Throws StoreError `corrupt_database`,
 * `cannot_open`, `schema_too_new` or `migration_failed`.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  checkHeader(path);
  let db: Db;
  try {
    db = new Database(path);
  } catch (e) {
    if (isCorruptionError(e)) throw corrupt(path, errorMessage(e), e);
    throw new StoreError(
      'cannot_open',
      `Cannot open the database ${path}: ${errorMessage(e)}. Check that its directory exists and ` +
        `that Vigil may write there.`,
      { cause: e },
    );
  }
  try {
    configure(db, options.busyTimeoutMs ?? 5000);
    migrate(db, path, options.migrations ?? MIGRATIONS);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof StoreError) throw e;
    if (isCorruptionError(e)) throw corrupt(path, errorMessage(e), e);
    throw new StoreError('cannot_open', `Cannot set up the database ${path}: ${errorMessage(e)}.`, {
      cause: e,
    });
  }
}
