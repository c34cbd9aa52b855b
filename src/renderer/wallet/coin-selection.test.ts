import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InsufficientFundsError } from '../../plasma/build';
import { encodeUtxoPos } from '../../plasma/position';
import { ALICE, BOB, TOKEN } from '../../plasma/testing/fixtures';
import {
  ETH_TOKEN,
  MAX_INPUTS,
  MAX_OUTPUTS,
  type Address,
  type PaymentTx,
  type Utxo,
} from '../../plasma/types';
import type { UtxoView } from '../../shared/wallet';
import { selectCoins, utxosFromViews, type PaymentIntent } from './coin-selection';

const CAROL = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc' as Address;
let nextBlock = 1000n;
function utxo(amount: bigint, token: Address = ETH_TOKEN, owner: Address = ALICE): Utxo {
  nextBlock += 1000n;
  return {
    utxoPos: encodeUtxoPos({ blknum: nextBlock, txindex: 0n, oindex: 0n }),
    owner,
    token,
    amount,
  };
}
function intent(
  amount: bigint,
  fee: bigint,
  token: Address = ETH_TOKEN,
  feeToken: Address = ETH_TOKEN,
): PaymentIntent {
  return { from: ALICE, to: BOB, token, amount, fee: { token: feeToken, amount: fee } };
}
const amounts = (us: readonly Utxo[]) => us.map((u) => u.amount);

/** Per token: inputs − outputs (what the transaction leaves as fee). */
function leftover(tx: PaymentTx, inputs: readonly Utxo[]): Map<Address, bigint> {
  const m = new Map<Address, bigint>();
  for (const u of inputs) m.set(u.token, (m.get(u.token) ?? 0n) + u.amount);
  for (const o of tx.outputs) m.set(o.token, (m.get(o.token) ?? 0n) - o.amount);
  return m;
}

describe('selectCoins', () => {
  it('spends one UTXO that exactly covers amount + fee, with no change output', () => {
    const utxos = [utxo(5n), utxo(10n), utxo(3n)];
    const s = selectCoins(utxos, intent(7n, 3n));
    expect(s.kind).toBe('payment');
    expect(amounts(s.inputs)).toEqual([10n]);
    expect(s.tx.outputs).toEqual([
      { outputType: 1n, outputGuard: BOB, token: ETH_TOKEN, amount: 7n },
    ]);
  });

  it('prefers fewer inputs over an exact match, and an exact match among the fewest', () => {
    expect(amounts(selectCoins([utxo(6n), utxo(4n), utxo(11n)], intent(9n, 1n)).inputs)).toEqual([
      11n,
    ]);
    expect(
      amounts(selectCoins([utxo(8n), utxo(7n), utxo(3n), utxo(2n)], intent(9n, 1n)).inputs),
    ).toEqual([8n, 2n]);
    // No exact pair: the largest, then the smallest that completes it (least change).
    const s = selectCoins([utxo(8n), utxo(7n), utxo(5n), utxo(2n)], intent(10n, 1n));
    expect(amounts(s.inputs)).toEqual([8n, 5n]);
    expect(s.tx.outputs.map((o) => [o.outputGuard, o.amount])).toEqual([
      [ALICE, 2n],
      [BOB, 10n],
    ]);
  });

  it('pays the fee from another token with change for each', () => {
    const utxos = [utxo(100n, TOKEN), utxo(50n, TOKEN), utxo(20n), utxo(3n)];
    const s = selectCoins(utxos, intent(120n, 2n, TOKEN, ETH_TOKEN));
    expect(s.kind).toBe('payment');
    expect(amounts(s.inputs)).toEqual([100n, 50n, 3n]);
    expect(s.tx.outputs.map((o) => [o.outputGuard, o.token, o.amount])).toEqual([
      [ALICE, TOKEN, 30n],
      [ALICE, ETH_TOKEN, 1n],
      [BOB, TOKEN, 120n],
    ]);
  });

  it('ignores other owners’ UTXOs and the inputs of pending payments', () => {
    const mine = [utxo(10n), utxo(20n)];
    const others = [utxo(1000n, ETH_TOKEN, CAROL)];
    const s = selectCoins([...mine, ...others], intent(5n, 0n), [mine[1]!.utxoPos]);
    expect(s.inputs).toEqual([mine[0]]);
    expect(
      selectCoins([utxo(0n), utxo(4n), utxo(0n)], intent(4n, 0n)).inputs.map((u) => u.amount),
    ).toEqual([4n]);
  });

  it('says how much is missing per token', () => {
    const utxos = [utxo(10n), utxo(5n, TOKEN)];
    try {
      selectCoins(utxos, intent(8n, 3n, TOKEN, ETH_TOKEN));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InsufficientFundsError);
      expect((e as InsufficientFundsError).code).toBe('insufficient_funds');
      expect((e as InsufficientFundsError).missing).toEqual([{ token: TOKEN, amount: 3n }]);
    }
    expect(() => selectCoins(utxos, intent(8n, 3n))).toThrow(/1 more of 0x0{40}/);
  });

  it('refuses bad intents with a wallet error', () => {
    const utxos = [utxo(10n)];
    const bad: [PaymentIntent, string][] = [
      [intent(0n, 1n), 'invalid_amount'],
      [intent(-1n, 1n), 'invalid_amount'],
      [intent(1n, -1n), 'invalid_amount'],
      [{ ...intent(1n, 1n), to: '0x1234' }, 'invalid_address'],
      [{ ...intent(1n, 1n), to: '0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266' }, 'invalid_address'],
    ];
    for (const [i, code] of bad) {
      expect(() => selectCoins(utxos, i)).toThrow(expect.objectContaining({ code }));
    }
  });

  it('proposes a free merge when the payment needs more than 4 inputs', () => {
    let utxos = Array.from({ length: 6 }, () => utxo(10n));
    const s = selectCoins(utxos, intent(55n, 1n));
    if (s.kind !== 'merge') throw new Error('expected a merge');
    expect(s.inputsNeeded).toBe(6);
    expect(s.mergesLeft).toBe(1);
    expect(s.utxos).toHaveLength(3);
    expect(s.inputs).toEqual(s.utxos);
    expect(s.tx.inputs).toEqual(s.utxos.map((u) => u.utxoPos));
    // The child chain charges nothing for a merge: one output of everything merged.
    expect(s.tx.outputs).toEqual([
      { outputType: 1n, outputGuard: ALICE, token: ETH_TOKEN, amount: 30n },
    ]);
    // After the merge is in a block, the payment fits.
    utxos = [...utxos.filter((u) => !s.utxos.includes(u)), utxo(30n)];
    const then = selectCoins(utxos, intent(55n, 1n));
    expect(then.kind).toBe('payment');
    expect(then.inputs).toHaveLength(4);
  });

  it('merges the token that needs the most inputs, whatever token pays the fee', () => {
    const tokens = Array.from({ length: 5 }, () => utxo(10n, TOKEN));
    const s = selectCoins([...tokens, utxo(7n)], intent(45n, 2n, TOKEN, ETH_TOKEN));
    if (s.kind !== 'merge') throw new Error('expected a merge');
    expect(s.token).toBe(TOKEN);
    expect(amounts(s.utxos)).toEqual([10n, 10n, 10n]);
    expect(s.tx.outputs.map((o) => [o.outputGuard, o.token, o.amount])).toEqual([
      [ALICE, TOKEN, 30n],
    ]);
    // Fee dust spread over many outputs is merged the same way.
    const dust = selectCoins(
      [utxo(50n, TOKEN), ...Array.from({ length: 6 }, () => utxo(1n))],
      intent(10n, 5n, TOKEN, ETH_TOKEN),
    );
    if (dust.kind !== 'merge') throw new Error('expected a merge');
    expect([dust.token, dust.inputsNeeded, dust.utxos.length]).toEqual([ETH_TOKEN, 6, 3]);
  });

  it('merges at most 4 outputs at a time and says how many merges remain', () => {
    const s = selectCoins(
      Array.from({ length: 12 }, () => utxo(10n)),
      intent(110n, 1n),
    );
    if (s.kind !== 'merge') throw new Error('expected a merge');
    expect([s.inputsNeeded, s.utxos.length, s.mergesLeft]).toEqual([12, 4, 3]);
  });

  it('reads the UTXOs main reports', () => {
    const view: UtxoView = {
      utxoPos: '1000000000',
      blknum: '1000',
      txindex: 0,
      oindex: 0,
      owner: ALICE,
      token: TOKEN,
      amount: '340282366920938463463374607431768211456',
      txHash: '0x' + '00'.repeat(32),
    };
    expect(utxosFromViews([view])).toEqual([
      { utxoPos: 1000000000n, owner: ALICE, token: TOKEN, amount: 1n << 128n },
    ]);
    expect(() => utxosFromViews([{ ...view, amount: '1.5' }])).toThrow(
      expect.objectContaining({ code: 'invalid_amount' }),
    );
  });
});

describe('selectCoins properties', () => {
  const tokens = [ETH_TOKEN, TOKEN];
  const utxoArb = fc.record({
    amount: fc.oneof(fc.bigInt({ min: 1n, max: 20n }), fc.bigInt({ min: 1n, max: 1000n })),
    token: fc.oneof({ arbitrary: fc.constant(ETH_TOKEN), weight: 3 }, fc.constant(TOKEN)),
  });
  // The payment asks for a share of what the account holds of its token, so that every outcome occurs.
  const caseArb = fc
    .record({
      utxos: fc.oneof(
        fc.array(utxoArb, { minLength: 0, maxLength: 16 }),
        // Fragmented: many small outputs, the case that needs merges.
        fc.array(
          fc.record({
            amount: fc.bigInt({ min: 1n, max: 20n }),
            token: fc.constantFrom(...tokens),
          }),
          { minLength: 6, maxLength: 16 },
        ),
      ),
      percent: fc.oneof(fc.integer({ min: 1, max: 110 }), fc.integer({ min: 60, max: 100 })),
      fee: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 5n })),
      token: fc.constantFrom(...tokens),
      feeToken: fc.constantFrom(...tokens),
    })
    .map((c) => {
      const held = c.utxos.filter((u) => u.token === c.token).reduce((s, u) => s + u.amount, 0n);
      const amount = (held * BigInt(c.percent)) / 100n;
      return { ...c, amount: amount > 0n ? amount : 1n };
    });
  const build = (c: { utxos: { amount: bigint; token: Address }[] }) =>
    c.utxos.map((u, i) => ({
      utxoPos: encodeUtxoPos({ blknum: BigInt(i + 1) * 1000n, txindex: 0n, oindex: 0n }),
      owner: ALICE,
      token: u.token,
      amount: u.amount,
    }));

  const needsOf = (c: { amount: bigint; fee: bigint; token: Address; feeToken: Address }) => {
    const m = new Map<Address, bigint>([[c.token, c.amount]]);
    if (c.fee > 0n) m.set(c.feeToken, (m.get(c.feeToken) ?? 0n) + c.fee);
    return m;
  };
  /** Every subset: the fewest UTXOs reaching `need`, and whether a set of that size hits it exactly. */
  function smallestCover(us: Utxo[], need: bigint): { size: number; exact: boolean } {
    let size = Infinity;
    let exact = false;
    for (let mask = 0; mask < 1 << us.length; mask++) {
      const picked = us.filter((_, i) => mask & (1 << i));
      const total = picked.reduce((t, u) => t + u.amount, 0n);
      if (total < need) continue;
      if (picked.length < size) [size, exact] = [picked.length, total === need];
      else if (picked.length === size && total === need) exact = true;
    }
    return { size, exact };
  }

  it('always balances per token, spends at most 4 inputs into at most 4 outputs, or says why not', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const utxos = build(c);
        const i = intent(c.amount, c.fee, c.token, c.feeToken);
        let s;
        try {
          s = selectCoins(utxos, i);
        } catch (e) {
          if (e instanceof InsufficientFundsError) {
            expect(e.missing.every((m) => m.amount > 0n)).toBe(true);
            return;
          }
          throw e;
        }
        expect(s.tx.inputs.length).toBeLessThanOrEqual(MAX_INPUTS);
        expect(s.tx.outputs.length).toBeLessThanOrEqual(MAX_OUTPUTS);
        expect(s.tx.inputs).toEqual(s.inputs.map((u) => u.utxoPos));
        expect(new Set(s.tx.inputs).size).toBe(s.tx.inputs.length);
        // A payment leaves exactly the fee to the operator; a merge is free.
        const left = leftover(s.tx, s.inputs);
        for (const [token, amount] of left) {
          expect(amount).toBe(s.kind === 'payment' && token === c.feeToken ? c.fee : 0n);
        }
        if (s.kind === 'payment') {
          expect(s.tx.outputs.filter((o) => o.outputGuard === BOB)).toEqual([
            { outputType: 1n, outputGuard: BOB, token: c.token, amount: c.amount },
          ]);
          // Against brute force: the fewest inputs per token, and no change when an exact set that small exists.
          for (const [token, need] of needsOf(c)) {
            const mine = utxos.filter((u) => u.token === token);
            if (mine.length > 12) continue;
            const best = smallestCover(mine, need);
            const chosen = s.inputs.filter((u) => u.token === token);
            expect(chosen.length).toBe(best.size);
            if (best.exact) expect(chosen.reduce((t, u) => t + u.amount, 0n)).toBe(need);
          }
        } else {
          expect(s.tx.outputs.every((o) => o.outputGuard === ALICE)).toBe(true);
          expect(s.inputsNeeded).toBeGreaterThan(MAX_INPUTS);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reaches the payment by following merge proposals whenever it does not refuse', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        let utxos = build(c);
        let blknum = 100_000n;
        const i = intent(c.amount, c.fee, c.token, c.feeToken);
        for (let round = 0; round < 20; round++) {
          let s;
          try {
            s = selectCoins(utxos, i);
          } catch (e) {
            if (e instanceof InsufficientFundsError) return;
            throw e;
          }
          if (s.kind === 'payment') return;
          // The merge lands in a block: its inputs go, its outputs become the owner's UTXOs.
          const spent = new Set(s.tx.inputs);
          utxos = [
            ...utxos.filter((u) => !spent.has(u.utxoPos)),
            ...s.tx.outputs.map((o, oindex) => ({
              utxoPos: encodeUtxoPos({
                blknum: (blknum += 1000n),
                txindex: 0n,
                oindex: BigInt(oindex),
              }),
              owner: ALICE,
              token: o.token,
              amount: o.amount,
            })),
          ];
        }
        throw new Error('merges did not converge');
      }),
      { numRuns: 300 },
    );
  });
});
