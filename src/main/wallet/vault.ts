// The encrypted vault on disk: an opaque blob the renderer encrypted (main never parses inside it
// beyond checking it is JSON of a sane size), in `vault.json` of the app's data directory.
import { join } from 'node:path';
import { MAX_VAULT_CHARS } from '../../shared/ipc-schemas';
import { HandlerError } from '../ipc/router';
import { WalletFileError, jsonProblem, moveAside, readWalletFile, writeFileAtomic } from './files';

/** JSON whose top level is an object: the shape of every vault the renderer writes. */
function vaultProblem(text: string): string | undefined {
  const notJson = jsonProblem(text);
  if (notJson) return notJson;
  const value: unknown = JSON.parse(text);
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? undefined
    : 'it is not a JSON object';
}

export class VaultFile {
  readonly path: string;

  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.path = join(dataDir, 'vault.json');
  }

  /** The saved blob, or null before the first save. A damaged file is `vault_corrupt`. */
  load(): { blob: string | null } {
    try {
      return { blob: readWalletFile(this.path, MAX_VAULT_CHARS * 4, vaultProblem) };
    } catch (error) {
      throw asHandlerError(error);
    }
  }

  /** Replaces the vault atomically, keeping the previous one as vault.json.bak. */
  save(blob: string): { savedAt: number } {
    const problem = vaultProblem(blob);
    if (problem)
      throw new HandlerError('vault_invalid', `The vault to save was refused: ${problem}.`);
    try {
      try {
        readWalletFile(this.path, MAX_VAULT_CHARS * 4, vaultProblem);
      } catch (error) {
        if (!(error instanceof WalletFileError) || error.code !== 'file_corrupt') throw error;
        this.log(`the damaged vault was kept as ${moveAside(this.path, this.now())}`);
      }
      writeFileAtomic(this.path, blob, { backup: true });
    } catch (error) {
      throw asHandlerError(error);
    }
    return { savedAt: this.now() };
  }
}

function asHandlerError(error: unknown): unknown {
  if (!(error instanceof WalletFileError)) return error;
  const code =
    error.code === 'file_corrupt'
      ? 'vault_corrupt'
      : error.code === 'file_unreadable'
        ? 'vault_unreadable'
        : 'vault_unwritable';
  return new HandlerError(code, error.message);
}
