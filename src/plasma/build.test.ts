import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InsufficientFundsError, TooManyInputsError, createPaymentTx, mergeUtxosTx } from './build';
import { signingDigest } from './eip712';
import { isPlasmaError } from './errors';
import { bytesToHex } from './hex';
import { encodeMetadata } from './metadata';
import { decodeUtxoPos, encodeUtxoPos } from './position';
import { encodePayment } from './tx';
import type { Address, Hex, PaymentTx, Utxo } from './types';

interface VUtxo {
  blknum: number | string;
  txindex: number;
  oindex: number;
  owner: string;
  currency: string;
  amount: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../../shared/vectors/omgjs-v1-public.json', import.meta.url), 'utf8'),
) as {
  createTxBody: {
    id: string;
    quirk?: string;
    input: {
      verifyingContract: string;
      fromAddress: string;
      fromUtxos: VUtxo[];
      payments: { owner: string; currency: string; amount: string }[];
      fee: { currency: string; amount: string };
      metadata?: string;
    };
    expected: { body?: unknown; toSignHash?: string; txBytes?: string; error?: string };
  }[];
  mergeUtxos: {
    id: string;
    input: { utxos: VUtxo[] };
    expected: { output?: unknown; error?: string };
  }[];
};

const utxo = (u: VUtxo): Utxo => ({
  utxoPos: encodeUtxoPos({
    blknum: BigInt(u.blknum),
    txindex: BigInt(u.txindex),
    oindex: BigInt(u.oindex),
  }),
  owner: u.owner as Address,
  token: u.currency as Address,
  amount: BigInt(u.amount),
});
const omgOutput = (o: PaymentTx['outputs'][number]) => ({
  outputType: Number(o.outputType),
  outputGuard: o.outputGuard,
  currency: o.token,
  amount: o.amount.toString(),
});
const omgBody = (tx: PaymentTx) => ({
  inputs: tx.inputs.map((p) => {
    const d = decodeUtxoPos(p);
    return { blknum: Number(d.blknum), txindex: Number(d.txindex), oindex: Number(d.oindex) };
  }),
  outputs: tx.outputs.map(omgOutput),
  txData: Number(tx.txData),
  metadata: tx.metadata,
});

const A = '0xb0b527dad198a866d4041f5e3c6c66be9c39aef8' as Address;
const B = '0x094439a0b91e23bae5d0ce022605978af4fc77bc' as Address;
const ETH = '0x0000000000000000000000000000000000000000' as Address;
const OMG = '0xd26114cd6ee289accf82350c8d8487fedb8a0c07' as Address;
const own = (n: number, amount: bigint, token: Address = ETH, owner: Address = A): Utxo => ({
  utxoPos: BigInt(n) * 1_000_000_000n,
  owner,
  token,
  amount,
});

describe('createPaymentTx against omg-js createTransactionBody', () => {
  for (const c of vectors.createTxBody.filter((v) => !v.quirk)) {
    it(`reproduces ${c.id} bit-exact`, () => {
      const i = c.input;
      const tx = createPaymentTx({
        from: i.fromAddress as Address,
        utxos: i.fromUtxos.map(utxo),
        payments: i.payments.map((p) => ({
          owner: p.owner as Address,
          token: p.currency as Address,
          amount: BigInt(p.amount),
        })),
        fee: { token: i.fee.currency as Address, amount: BigInt(i.fee.amount) },
        ...(i.metadata === undefined ? {} : { metadata: encodeMetadata(i.metadata) }),
      });
      expect(omgBody(tx)).toEqual(c.expected.body);
      expect(bytesToHex(encodePayment(tx))).toBe(c.expected.txBytes);
      expect(bytesToHex(signingDigest(tx, i.verifyingContract as Address))).toBe(
        c.expected.toSignHash,
      );
    });
  }

  it('rejects the mixed-case token quirk with a clear error instead of calling the funds insufficient', () => {
    const c = vectors.createTxBody.find((v) => v.id === 'createTxBody-quirk-currency-case')!;
    expect(() =>
      createPaymentTx({
        from: c.input.fromAddress as Address,
        utxos: c.input.fromUtxos.map(utxo),
        payments: c.input.payments.map((p) => ({
          owner: p.owner as Address,
          token: p.currency as Address,
          amount: BigInt(p.amount),
        })),
        fee: { token: c.input.fee.currency as Address, amount: BigInt(c.input.fee.amount) },
      }),
    ).toThrow(/must be lowercase/);
  });
});

describe('createPaymentTx rules', () => {
  it('lists every missing amount per token', () => {
    try {
      createPaymentTx({
        from: A,
        utxos: [own(1, 5n)],
        payments: [{ owner: B, token: OMG, amount: 10n }],
        fee: { token: ETH, amount: 7n },
      });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(InsufficientFundsError);
      const err = e as InsufficientFundsError;
      expect(err.code).toBe('insufficient_funds');
      expect(err.missing).toEqual([
        { token: OMG, amount: 10n },
        { token: ETH, amount: 2n },
      ]);
      expect(err.message).toMatch(/10 more of 0xd261.*and 2 more of 0x0000/);
    }
  });

  it('never cuts a fifth input: picks fewer, larger UTXOs, or asks for a merge', () => {
    const small = [1, 2, 3, 4, 5].map((n) => own(n, 10n));
    // omg-js order would take all five; the two largest are enough
    const tx = createPaymentTx({
      from: A,
      utxos: [...small, own(6, 100n), own(7, 100n)],
      payments: [{ owner: B, token: ETH, amount: 150n }],
      fee: { token: ETH, amount: 0n },
    });
    expect(tx.inputs).toEqual([6_000_000_000n, 7_000_000_000n]);
    try {
      createPaymentTx({
        from: A,
        utxos: [1, 2, 3, 4, 5, 6].map((n) => own(n, 10n)),
        payments: [{ owner: B, token: ETH, amount: 55n }],
        fee: { token: ETH, amount: 1n },
      });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(TooManyInputsError);
      const err = e as TooManyInputsError;
      expect(err.code).toBe('too_many_inputs');
      expect(err.needed).toBe(6);
      expect(err.merge).toHaveLength(1);
      expect(err.merge[0]).toHaveLength(3);
      expect(err.message).toMatch(/merge 3 UTXOs of 0x0000/);
    }
  });

  it('refuses zero payments, foreign UTXOs, duplicates, too many outputs and bad addresses', () => {
    const base = { from: A, utxos: [own(1, 100n)], fee: { token: ETH, amount: 1n } };
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isPlasmaError(e) ? e.code : 'not a PlasmaError';
      }
      return 'no error';
    };
    expect(
      code(() => createPaymentTx({ ...base, payments: [{ owner: B, token: ETH, amount: 0n }] })),
    ).toBe('amount_cant_be_zero');
    expect(code(() => createPaymentTx({ ...base, payments: [] }))).toBe('empty_outputs');
    expect(
      code(() =>
        createPaymentTx({
          ...base,
          utxos: [own(1, 100n, ETH, B)],
          payments: [{ owner: B, token: ETH, amount: 1n }],
        }),
      ),
    ).toBe('unauthorized_spend');
    expect(
      code(() =>
        createPaymentTx({
          ...base,
          utxos: [own(1, 100n), own(1, 100n)],
          payments: [{ owner: B, token: ETH, amount: 1n }],
        }),
      ),
    ).toBe('duplicate_inputs');
    expect(
      code(() =>
        createPaymentTx({
          ...base,
          payments: [1n, 2n, 3n, 4n].map((amount) => ({ owner: B, token: ETH, amount })),
        }),
      ),
    ).toBe('too_many_outputs');
    expect(
      code(() => createPaymentTx({ ...base, payments: [{ owner: ETH, token: ETH, amount: 1n }] })),
    ).toBe('output_guard_cant_be_zero');
    expect(
      code(() =>
        createPaymentTx({
          ...base,
          payments: [{ owner: '0x1234' as Address, token: ETH, amount: 1n }],
        }),
      ),
    ).toBe('malformed_address');
    expect(
      code(() =>
        createPaymentTx({
          ...base,
          payments: [{ owner: B, token: ETH, amount: 1n }],
          metadata: '0x12' as Hex,
        }),
      ),
    ).toBe('malformed_metadata');
  });

  it('balances every token: inputs = outputs + fee, change back to the sender', () => {
    const tokens = [ETH, OMG];
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.integer({ min: 0, max: 1 })),
          { minLength: 1, maxLength: 8 },
        ),
        fc.array(
          fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 19n }), fc.integer({ min: 0, max: 1 })),
          { minLength: 1, maxLength: 2 },
        ),
        fc.bigInt({ min: 0n, max: 1000n }),
        (us, ps, feeAmount) => {
          const utxos = us.map(([amount, t], k) => own(k + 1, amount, tokens[t]!));
          const payments = ps.map(([amount, t]) => ({ owner: B, token: tokens[t]!, amount }));
          const fee = { token: ETH, amount: feeAmount };
          let tx: PaymentTx;
          try {
            tx = createPaymentTx({ from: A, utxos, payments, fee });
          } catch (e) {
            expect(
              isPlasmaError(e) &&
                ['insufficient_funds', 'too_many_inputs', 'too_many_outputs'].includes(e.code),
            ).toBe(true);
            return;
          }
          expect(tx.inputs.length).toBeLessThanOrEqual(4);
          expect(tx.outputs.length).toBeLessThanOrEqual(4);
          encodePayment(tx);
          for (const token of tokens) {
            const inSum = utxos
              .filter((u) => tx.inputs.includes(u.utxoPos) && u.token === token)
              .reduce((s, u) => s + u.amount, 0n);
            const outSum = tx.outputs
              .filter((o) => o.token === token)
              .reduce((s, o) => s + o.amount, 0n);
            expect(inSum - outSum).toBe(token === ETH ? feeAmount : 0n);
          }
          for (const o of tx.outputs.slice(0, tx.outputs.length - payments.length))
            expect(o.outputGuard).toBe(A);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('mergeUtxosTx against omg-js mergeUtxos', () => {
  for (const c of vectors.mergeUtxos) {
    it(`reproduces ${c.id}`, () => {
      const utxos = c.input.utxos.map(utxo);
      if (c.expected.error !== undefined) {
        expect(() => mergeUtxosTx(utxos)).toThrow();
        return;
      }
      const tx = mergeUtxosTx(utxos);
      expect(tx.inputs).toEqual(utxos.map((u) => u.utxoPos));
      expect(tx.outputs.map(omgOutput)).toEqual([c.expected.output]);
      encodePayment(tx);
    });
  }
  it('refuses more than 4 UTXOs, other owners and mixed tokens', () => {
    expect(() => mergeUtxosTx([1, 2, 3, 4, 5].map((n) => own(n, 1n)))).toThrow(/at most 4/);
    expect(() => mergeUtxosTx([own(1, 1n), own(2, 1n, ETH, B)])).toThrow(/belongs to/);
    expect(() => mergeUtxosTx([own(1, 1n), own(2, 1n, OMG)])).toThrow(/same token/);
    expect(() => mergeUtxosTx([own(1, 1n)])).toThrow(/at least 2/);
  });
});
