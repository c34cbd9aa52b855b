// The one error type of the renderer's wallet core: a stable `code` the screens switch on and a
// sentence a person can act on. Messages never quote a secret (key, mnemonic, password).

export type WalletErrorCode =
  | 'wrong_password'
  | 'weak_password'
  | 'vault_corrupt'
  | 'vault_locked'
  | 'duplicate_import'
  | 'invalid_mnemonic'
  | 'invalid_private_key'
  | 'invalid_keystore'
  | 'invalid_address'
  | 'invalid_name'
  | 'account_not_found'
  | 'watch_only'
  | 'invalid_amount'
  | 'invalid_argument';
// Coin selection reports missing funds with src/plasma's InsufficientFundsError (code
// `insufficient_funds`, `missing` per token), the protocol library's own error for it.

export class WalletError extends Error {
  readonly code: WalletErrorCode;
  constructor(code: WalletErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WalletError';
    this.code = code;
  }
}

export function isWalletError(e: unknown, code?: WalletErrorCode): e is WalletError {
  return e instanceof WalletError && (code === undefined || e.code === code);
}
