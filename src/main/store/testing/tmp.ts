// Temporary directories for store tests: one per test file, removed afterwards, so tests that need a
// real file (WAL, crash recovery, corrupt files) never collide with each other or with a user's data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  readonly dir: string;
  /** A fresh file name inside the directory. */
  file(name?: string): string;
  remove(): void;
}

export function tempDir(prefix = 'vigil-store-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let n = 0;
  return {
    dir,
    file: (name = `db-${++n}.sqlite`) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
