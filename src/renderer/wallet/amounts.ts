// Amounts for people: a bigint in base units shown with the token's decimals, and user input parsed
// back to base units. Pure string and bigint arithmetic: no floating point anywhere, so
// "0.000000000000000001" ETH is exactly 1 wei and 2^256 - 1 survives the round trip.

import { MAX_UINT256 } from '../../plasma/hex';
import { WalletError } from './errors';

/** The most decimals a token may declare and still be shown (uint8, but 77 digits already fill uint256). */
export const MAX_DECIMALS = 77;

function checkDecimals(decimals: number): number {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) {
    throw new WalletError(
      'invalid_argument',
      `A token's decimals must be a whole number from 0 to ${MAX_DECIMALS}; got ${String(decimals)}.`,
    );
  }
  return decimals;
}

export interface FormatOptions {
  /** Show at most this many fraction digits, rounding toward zero (the full value by default). */
  maxFractionDigits?: number;
  /** Group the whole part in thousands with this separator (none by default). */
  groupSeparator?: string;
}

/**
 * `amount` base units as a decimal number of whole tokens: 1500000000000000000n with 18 decimals is
 * "1.5"; trailing fraction zeros are dropped; negative amounts (history) keep their sign.
 */
export function formatAmount(
  amount: bigint,
  decimals: number,
  options: FormatOptions = {},
): string {
  if (typeof amount !== 'bigint') {
    throw new WalletError('invalid_amount', `An amount must be a bigint, got a ${typeof amount}.`);
  }
  checkDecimals(decimals);
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(decimals + 1, '0');
  let whole = digits.slice(0, digits.length - decimals);
  let fraction = digits.slice(digits.length - decimals);
  if (options.maxFractionDigits !== undefined) {
    fraction = fraction.slice(0, Math.max(0, Math.floor(options.maxFractionDigits)));
  }
  fraction = fraction.replace(/0+$/, '');
  if (options.groupSeparator) {
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, options.groupSeparator);
  }
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/**
 * Parses what a person typed ("1.5", "0.000000000000000001", " 2 ") to base units. Refuses, with a
 * sentence saying why: empty input, signs, exponents ("1e18"), separators, more fraction digits than
 * the token has, and amounts beyond uint256. Zero parses (the screens decide whether zero is allowed).
 */
export function parseAmount(text: string, decimals: number): bigint {
  checkDecimals(decimals);
  if (typeof text !== 'string') {
    throw new WalletError('invalid_amount', 'Enter an amount.');
  }
  const input = text.trim();
  if (input === '') throw new WalletError('invalid_amount', 'Enter an amount.');
  if (input.startsWith('-')) {
    throw new WalletError('invalid_amount', 'An amount cannot be negative.');
  }
  if (/e/i.test(input)) {
    throw new WalletError(
      'invalid_amount',
      `Write the amount out in digits (for example 1000000 rather than 1e6); got "${input}".`,
    );
  }
  const match = /^(\d*)(?:\.(\d*))?$/.exec(input);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) {
    throw new WalletError(
      'invalid_amount',
      `"${input}" is not an amount: use digits and at most one "." for the fraction.`,
    );
  }
  const whole = match[1]!;
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) {
    throw new WalletError(
      'invalid_amount',
      decimals === 0
        ? 'This token has no fraction: enter a whole number.'
        : `This token has ${decimals} decimals; "${input}" has ${fraction.length} digits after the point.`,
    );
  }
  const value = BigInt((whole || '0') + fraction.padEnd(decimals, '0'));
  if (value > MAX_UINT256) {
    throw new WalletError('invalid_amount', 'That amount is too large for any token.');
  }
  return value;
}

/**
 * A DecimalString from the IPC contract (an amount or position main sent) as a bigint. Main's values
 * are plain non-negative integers; anything else is refused rather than guessed at.
 */
export function fromDecimalString(value: string, what = 'amount'): bigint {
  if (typeof value !== 'string' || !/^(0|[1-9]\d{0,77})$/.test(value)) {
    throw new WalletError(
      'invalid_amount',
      `The ${what} ${JSON.stringify(value)} is not a decimal integer.`,
    );
  }
  const n = BigInt(value);
  if (n > MAX_UINT256) {
    throw new WalletError('invalid_amount', `The ${what} ${value} does not fit in 256 bits.`);
  }
  return n;
}
