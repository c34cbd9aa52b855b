// Errors of the protocol library: values with a stable code (the elixir-omg Watcher's atoms where
// one exists, spec/watcher.md §1.5.3–§1.5.4) and, for rules the v1.0.5 contracts enforce, the exact
// revert string the contract would give (protocol.md §3.7, §4.1, §5.3), so callers can show it.

/** Per-transaction stateless atoms of the Watcher (watcher.md §1.5.3). */
export const WATCHER_TX_ATOMS = [
  'malformed_transaction_rlp',
  'malformed_transaction',
  'malformed_witnesses',
  'unrecognized_transaction_type',
  'too_many_inputs',
  'malformed_inputs',
  'empty_outputs',
  'too_many_outputs',
  'malformed_outputs',
  'unrecognized_output_type',
  'malformed_address',
  'output_guard_cant_be_zero',
  'amount_cant_be_zero',
  'leading_zeros_in_encoded_uint',
  'encoded_uint_too_big',
  'malformed_tx_data',
  'malformed_metadata',
  'tx_cannot_create_output_type',
  'malformed_nonce',
  'duplicate_inputs',
  'missing_signature',
  'superfluous_signature',
  'wrong_number_of_fee_outputs',
  'fee_output_amount_has_to_be_positive',
  'signature_corrupt',
] as const;

/** Stateful atoms of the Watcher (watcher.md §1.5.4); used by the validator in main, listed here so one union covers all. */
export const WATCHER_LEDGER_ATOMS = [
  'too_many_transactions_in_block',
  'payments_rejected_during_fee_claiming',
  'input_utxo_ahead_of_state',
  'utxo_not_found',
  'unauthorized_spend',
  'amounts_do_not_add_up',
  'surplus_in_token_not_collected',
  'claimed_and_collected_amounts_mismatch',
  // Child-chain-only fee rules (watcher.md §4, transaction.submit errors); watchers ignore fees.
  'fees_not_covered',
  'overpaying_fees',
  'multiple_potential_currency_fees',
] as const;

/** Our own codes, for failures the Watcher has no atom for. */
export const VIGIL_CODES = [
  'invalid_hex',
  'invalid_position',
  'invalid_signature',
  'invalid_private_key',
  'invalid_amount',
  'invalid_argument',
  'insufficient_funds',
] as const;

export type WatcherTxAtom = (typeof WATCHER_TX_ATOMS)[number];
export type WatcherLedgerAtom = (typeof WATCHER_LEDGER_ATOMS)[number];
export type VigilCode = (typeof VIGIL_CODES)[number];
export type PlasmaErrorCode = WatcherTxAtom | WatcherLedgerAtom | VigilCode;

/**
 * Revert strings of the v1.0.5 contracts for the rules this library mirrors, by rule id of
 * protocol.md (§3.7 R1–R6 and F1–F20, §4.1 positions, §5.3 signatures). Exactly as the contracts return them.
 */
export const REVERT = {
  R1: 'Item is not a list',
  R2: 'Decoded RLP length for list is invalid',
  R3: 'Invalid decoded length of RLP item found during counting items in a list',
  R4: 'Invalid short string encoding',
  R5_LEADING_ZEROS: 'Invalid leading zeros in length of the length for a long string',
  R5_LENGTH: 'Invalid length for a long string',
  R6_LEADING_ZEROS: 'Invalid leading zeros in length of the length for a long list',
  R6_LENGTH: 'Invalid length for a long list',
  F1: 'Invalid encoding of transaction',
  F2: 'Item must not be a list',
  F3: 'Item length must be between 1 and 33 bytes',
  F4: 'Scalar 0 should be encoded as 0x80',
  F5: 'Leading zeros are invalid',
  F6: 'Transaction type must not be 0',
  F7_NOT_A_LIST: 'Item is not a list',
  F7_ITEMS: 'Output must have 2 items',
  F8: 'Output type must not be 0',
  F9: 'Item length must be 33',
  F10: 'Item is not a list',
  F11: 'Transaction inputs num exceeds limit',
  F12: 'Transaction cannot have 0 outputs',
  F13: 'Transaction outputs num exceeds limit',
  F14: 'Item length must be 33',
  F15: 'Null input not allowed',
  F16_NOT_A_LIST: 'Item is not a list',
  F16_ITEMS: 'Output data must have 3 items',
  F17: 'Item length must be 21',
  F18: 'Output amount must not be 0',
  F19: 'Output outputGuard must not be 0',
  F20: 'txData must be 0',
  POS_BLKNUM: 'blockNum exceeds max size allowed in PlasmaFramework',
  POS_TXINDEX: 'txIndex exceeds the size of uint16',
  POS_OINDEX: 'Invalid output index',
  SIG_UNRECOVERABLE: 'Failed to recover the signer from the signature',
  SIG_WRONG_SIGNER: 'Tx is not signed correctly',
} as const;

export type RevertRule = keyof typeof REVERT;
export type RevertString = (typeof REVERT)[RevertRule];

export interface PlasmaErrorOptions {
  /** The contract's revert string for the rule that failed, when the contracts enforce it. */
  revert?: string;
  /** The rule id of protocol.md that failed (`R4`, `F18`, `POS_TXINDEX`…), when there is one. */
  rule?: string;
  cause?: unknown;
}

/** The one error type of src/plasma: a stable `code`, a sentence a person can act on, and the contract's revert string if any. */
export class PlasmaError extends Error {
  readonly code: PlasmaErrorCode;
  readonly revert: string | undefined;
  readonly rule: string | undefined;

  constructor(code: PlasmaErrorCode, message: string, options: PlasmaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlasmaError';
    this.code = code;
    this.revert = options.revert;
    this.rule = options.rule;
  }
}

export function isPlasmaError(e: unknown): e is PlasmaError {
  return e instanceof PlasmaError;
}

/** Throws a PlasmaError for the contract rule `rule` (its revert string attached). */
export function ruleError(code: PlasmaErrorCode, rule: RevertRule, message: string): PlasmaError {
  return new PlasmaError(code, message, { revert: REVERT[rule], rule });
}
