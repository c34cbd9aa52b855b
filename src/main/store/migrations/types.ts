// The shape of one schema migration (Signal Desktop style): a number, a name and a function that
// moves the schema from `version - 1` to `version`. The runner in ../database.ts wraps each in its
// own transaction together with the `user_version` bump, so a crash leaves either the old or the new
// schema, never half of one.
import type Database from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3…: contiguous; `PRAGMA user_version` holds the last one applied. */
  readonly version: number;
  /** Short, for error messages and the file name (`NNN-name.ts`). */
  readonly name: string;
  up(db: Database.Database): void;
}
