// The store's one error type. Every failure a caller can meet carries a stable `code` (for the
// watcher's status and the UI to branch on) and a sentence that tells a person what to do next.

export type StoreErrorCode =
  /** The file is not a SQLite database, or SQLite found it damaged. */
  | 'corrupt_database'
  /** The file or its directory cannot be opened (permissions, missing directory, locked). */
  | 'cannot_open'
  /** The database was written by a newer Vigil whose schema this code does not know. */
  | 'schema_too_new'
  /** A migration failed; the database stays at the version before it. */
  | 'migration_failed'
  /** The database belongs to another Plasma deployment than the one configured. */
  | 'wrong_deployment'
  /** A block was offered that does not follow the last applied one. */
  | 'block_out_of_order'
  /** A block's own data is inconsistent (tx indexes, effects of another block). */
  | 'invalid_block'
  /** A block spends an output the store does not hold: the executor and the store disagree. */
  | 'utxo_missing'
  /** Stored data contradicts itself (for example a block whose transactions no longer hash to its root). */
  | 'inconsistent_state'
  /** A caller passed a value the store cannot hold (negative height, malformed hex…). */
  | 'invalid_argument'
  /** The disk (or the quota) is full; nothing of the failed write was kept. */
  | 'disk_full'
  /** Another process held the database longer than the busy timeout. */
  | 'database_busy'
  /** The operating system failed a read or write (permissions, a vanished disk…). */
  | 'io_error';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}

/** The SQLite result code of a better-sqlite3 error (`SQLITE_CORRUPT`, `SQLITE_NOTADB`…), if any. */
export function sqliteCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return undefined;
}

/** True for the errors SQLite raises when a file is not a database or is damaged. */
export function isCorruptionError(e: unknown): boolean {
  const code = sqliteCode(e);
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code === 'SQLITE_CORRUPT_VTAB';
}

/**
 * Turns an error thrown by SQLite during a read or write into a StoreError with a code and advice;
 * StoreErrors and programming errors pass through unchanged. A failed write has been rolled back by
 * then (every write runs in a transaction), which the messages can therefore promise.
 */
export function translateSqliteError(e: unknown, path: string): unknown {
  if (e instanceof StoreError) return e;
  const code = sqliteCode(e);
  if (code === undefined) return e;
  const detail = e instanceof Error ? e.message : String(e);
  if (isCorruptionError(e)) {
    return new StoreError(
      'corrupt_database',
      `SQLite reports ${path} as damaged (${detail}). Stop Vigil, move the file aside (or restore a ` +
        `backup) and start again; Vigil will re-sync from Ethereum.`,
      { cause: e },
    );
  }
  if (code.startsWith('SQLITE_FULL')) {
    return new StoreError(
      'disk_full',
      `The disk holding ${path} is full; the last change was not saved. Free some space and Vigil ` +
        `will carry on from where it stopped.`,
      { cause: e },
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(
      'database_busy',
      `${path} is in use by another process (${detail}). Make sure only one Vigil watcher uses ` +
        `this data directory.`,
      { cause: e },
    );
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return new StoreError(
      'inconsistent_state',
      `A write to ${path} contradicts what is stored (${detail}); nothing of it was kept. This is a ` +
        `bug or a reorganisation the caller did not roll back; report it with the log.`,
      { cause: e },
    );
  }
  if (
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_PERM')
  ) {
    return new StoreError(
      'io_error',
      `The system could not read or write ${path} (${detail}). Check the disk and the file's ` +
        `permissions.`,
      { cause: e },
    );
  }
  return e;
}
