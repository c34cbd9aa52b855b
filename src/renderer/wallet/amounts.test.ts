import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UINT256 } from '../../plasma/hex';
import { formatAmount, fromDecimalString, parseAmount } from './amounts';
import { isWalletError } from './errors';

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isWalletError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a WalletError');
}

describe('formatAmount', () => {
  it('shows base units as whole tokens without floating point', () => {
    expect(formatAmount(1_500_000_000_000_000_000n, 18)).toBe('1.5');
    expect(formatAmount(1n, 18)).toBe('0.000000000000000001');
    expect(formatAmount(0n, 18)).toBe('0');
    expect(formatAmount(1234n, 0)).toBe('1234');
    expect(formatAmount(1_000_000n, 6)).toBe('1');
    expect(formatAmount(MAX_UINT256, 18)).toBe(
      '115792089237316195423570985008687907853269984665640564039457.584007913129639935',
    );
  });

  it('keeps the sign of a negative amount (history) and groups thousands on request', () => {
    expect(formatAmount(-2_500_000n, 6)).toBe('-2.5');
    expect(formatAmount(1_234_567_000_000n, 6, { groupSeparator: ',' })).toBe('1,234,567');
  });

  it('cuts extra fraction digits toward zero and drops a sign left on zero', () => {
    expect(formatAmount(1_999_999n, 6, { maxFractionDigits: 2 })).toBe('1.99');
    expect(formatAmount(-1n, 18, { maxFractionDigits: 4 })).toBe('0');
  });

  it('refuses decimals a token cannot have', () => {
    expect(code(() => formatAmount(1n, -1))).toBe('invalid_argument');
    expect(code(() => formatAmount(1n, 1.5))).toBe('invalid_argument');
    expect(code(() => formatAmount(1n, 78))).toBe('invalid_argument');
  });
});

describe('parseAmount', () => {
  it('parses what people type to exact base units', () => {
    expect(parseAmount('1.5', 18)).toBe(1_500_000_000_000_000_000n);
    expect(parseAmount('0.000000000000000001', 18)).toBe(1n);
    expect(parseAmount(' 2 ', 6)).toBe(2_000_000n);
    expect(parseAmount('.5', 1)).toBe(5n);
    expect(parseAmount('7.', 2)).toBe(700n);
    expect(parseAmount('0', 18)).toBe(0n);
    expect(parseAmount('007', 0)).toBe(7n);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['-1', 'negative'],
    ['1e18', 'exponent'],
    ['1E-3', 'exponent'],
    ['1,000', 'separator'],
    ['1.2.3', 'two points'],
    ['.', 'only a point'],
    ['+1', 'sign'],
    ['0x10', 'hex'],
    ['1 000', 'space inside'],
    ['Infinity', 'word'],
    ['NaN', 'word'],
  ])('refuses %j (%s)', (text) => {
    expect(code(() => parseAmount(text, 18))).toBe('invalid_amount');
  });

  it('refuses more fraction digits than the token has', () => {
    expect(code(() => parseAmount('0.0000000000000000001', 18))).toBe('invalid_amount');
    expect(code(() => parseAmount('1.5', 0))).toBe('invalid_amount');
    expect(() => parseAmount('1.1234567', 6)).toThrow(/6 decimals/);
  });

  it('refuses amounts beyond uint256', () => {
    expect(parseAmount(MAX_UINT256.toString(), 0)).toBe(MAX_UINT256);
    expect(code(() => parseAmount((MAX_UINT256 + 1n).toString(), 0))).toBe('invalid_amount');
  });

  it('round-trips with formatAmount for every amount and decimals', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_UINT256 }),
        fc.integer({ min: 0, max: 30 }),
        (n, d) => {
          expect(parseAmount(formatAmount(n, d), d)).toBe(n);
        },
      ),
    );
  });
});

describe('fromDecimalString', () => {
  it('reads main’s decimal strings and refuses anything else', () => {
    expect(fromDecimalString('1000000000000000000000')).toBe(10n ** 21n);
    expect(fromDecimalString('0')).toBe(0n);
    for (const bad of ['', '01', '-1', '1.0', '1e3', ' 1', (MAX_UINT256 + 1n).toString()]) {
      expect(code(() => fromDecimalString(bad))).toBe('invalid_amount');
    }
    expect(code(() => fromDecimalString(5 as unknown as string))).toBe('invalid_amount');
  });
});
