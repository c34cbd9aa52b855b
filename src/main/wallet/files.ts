// The wallet's small files in the app's data directory (the encrypted vault, the settings, saved
// network profiles): written atomically (a temp file, fsync, rename, fsync of the folder), mode 0600,
// the previous version kept as `<file>.bak`. A crash at any moment leaves the old file or the new
// one, never a torn one. A file that is there but damaged is reported, never overwritten silently:
// the next save moves it aside to `<file>.corrupt-<time>` first.
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname } from 'node:path';

export const FILE_MODE = 0o600;

/** A wallet file that cannot be used as it is; `code` is stable, the message says what to do. */
export class WalletFileError extends Error {
  constructor(
    readonly code: 'file_corrupt' | 'file_unreadable' | 'file_unwritable',
    message: string,
  ) {
    super(message);
    this.name = 'WalletFileError';
  }
}

/** Test seam: called between the steps of a write, so a test can "crash" at each one. */
export type WriteStep = 'temp-written' | 'backup-written' | 'renamed';

function fsyncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeSynced(path: string, data: Buffer): void {
  const fd = openSync(path, 'wx', FILE_MODE);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function tempName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Replaces `path` with `text` atomically. With `backup`, the current file (if any) is first copied
 * to `<path>.bak`, itself atomically, so the backup is always a whole earlier version.
 */
export function writeFileAtomic(
  path: string,
  text: string,
  options: { backup?: boolean; onStep?: (step: WriteStep) => void } = {},
): void {
  const tmp = tempName(path);
  try {
    writeSynced(tmp, Buffer.from(text, 'utf8'));
    options.onStep?.('temp-written');
    if (options.backup && existsSync(path)) {
      const bak = `${path}.bak`;
      const bakTmp = tempName(bak);
      copyFileSync(path, bakTmp);
      fsyncPath(bakTmp, 'r+');
      renameSync(bakTmp, bak);
      options.onStep?.('backup-written');
    }
    renameSync(tmp, path);
    options.onStep?.('renamed');
    fsyncPath(dirname(path), 'r');
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already renamed or never created.
    }
    if (error instanceof WalletFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new WalletFileError(
      'file_unwritable',
      `Vigil could not save ${basename(path)} (${code}); the previous version is unchanged.`,
    );
  }
}

/**
 * The text of a wallet file, `null` if there is none. A file larger than `maxBytes` or that
 * `check` rejects is a WalletFileError `file_corrupt`, naming the file and its backup.
 */
export function readWalletFile(
  path: string,
  maxBytes: number,
  check: (text: string) => string | undefined,
): string | null {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw unreadable(path, error);
  }
  if (size > maxBytes)
    throw corrupt(path, `it is ${size} bytes, more than the ${maxBytes} allowed`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw unreadable(path, error);
  }
  const problem = check(text);
  if (problem !== undefined) throw corrupt(path, problem);
  return text;
}

/** Moves a damaged file aside (kept, never deleted) so a new version can be written. */
export function moveAside(path: string, now: number = Date.now()): string {
  const aside = `${path}.corrupt-${now}`;
  renameSync(path, aside);
  return aside;
}

/** JSON text, or the reason it is not. */
export function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    return 'it is not JSON';
  }
}

function corrupt(path: string, why: string): WalletFileError {
  const bak = `${path}.bak`;
  return new WalletFileError(
    'file_corrupt',
    `The file ${path} is damaged (${why}). Vigil left it untouched` +
      (existsSync(bak) ? `; the previous version is in ${bak}.` : '.'),
  );
}

function unreadable(path: string, error: unknown): WalletFileError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new WalletFileError('file_unreadable', `Vigil cannot read ${path} (${code}).`);
}

/**
 * A wallet state file holding one JSON value checked by `schema`: the value, or `fallback` when there
 * is no file yet. A damaged file is a WalletFileError `file_corrupt` (never silently replaced).
 */
export function readJsonState<T>(
  path: string,
  schema: { safeParse(value: unknown): { success: boolean; data?: T } },
  fallback: T,
  maxBytes = 8 * 1024 * 1024,
): T {
  const parse = (text: string) => schema.safeParse(JSON.parse(text));
  const text = readWalletFile(
    path,
    maxBytes,
    (t) => jsonProblem(t) ?? (parse(t).success ? undefined : 'its content is not what Vigil wrote'),
  );
  return text === null ? fallback : (parse(text).data as T);
}

/** Writes a wallet state file atomically (with the previous version kept as `.bak`). */
export function writeJsonState(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n', { backup: true });
}
