import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BlockExecution,
  LedgerError,
  MAX_PAYMENTS_PER_BLOCK,
  checkPaymentFee,
  outputPosition,
  type LedgerUtxo,
} from './ledger';
import { encodeUtxoPos } from './position';
import {
  ETH_TOKEN,
  NULL_METADATA,
  OUTPUT_TYPE_FEE_CLAIM,
  OUTPUT_TYPE_PAYMENT,
  type Address,
  type FeeTx,
  type Hex,
  type PaymentTx,
} from './types';

const ALICE: Address = '0x00000000000000000000000000000000000a11ce';
const BOB: Address = '0x0000000000000000000000000000000000000b0b';
const OPERATOR: Address = '0x000000000000000000000000000000000000fee0';
const TOKEN: Address = '0x00000000000000000000000000000000000070c3';
const HASH: Hex = `0x${'ab'.repeat(32)}`;

const pos = (blknum: number, txindex = 0, oindex = 0): bigint =>
  encodeUtxoPos({ blknum: BigInt(blknum), txindex: BigInt(txindex), oindex: BigInt(oindex) });

function ledger(entries: [bigint, LedgerUtxo][]): Map<bigint, LedgerUtxo> {
  return new Map(entries);
}
const utxo = (owner: Address, amount: bigint, token: Address = ETH_TOKEN): LedgerUtxo => ({
  outputType: OUTPUT_TYPE_PAYMENT,
  owner,
  token,
  amount,
});
const out = (owner: Address, amount: bigint, token: Address = ETH_TOKEN) => ({
  outputType: OUTPUT_TYPE_PAYMENT,
  outputGuard: owner,
  token,
  amount,
});
const payment = (inputs: bigint[], outputs: ReturnType<typeof out>[]): PaymentTx => ({
  txType: 1n,
  inputs,
  outputs,
  txData: 0n,
  metadata: NULL_METADATA,
});
const feeClaim = (token: Address, amount: bigint): FeeTx => ({
  txType: 3n,
  output: { outputType: OUTPUT_TYPE_FEE_CLAIM, outputGuard: OPERATOR, token, amount },
  nonce: HASH,
  metadata: NULL_METADATA,
});

function execution(entries: [bigint, LedgerUtxo][], blknum = 2000n) {
  const map = ledger(entries);
  return new BlockExecution(blknum, { getUtxo: (p) => map.get(p) });
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LedgerError);
    return (e as LedgerError).code;
  }
  throw new Error('expected a LedgerError');
}

describe('BlockExecution', () => {
  it('spends inputs, creates outputs at their positions and collects the fee', () => {
    const exec = execution([[pos(1000), utxo(ALICE, 100n)]]);
    exec.apply({
      kind: 'payment',
      tx: payment([pos(1000)], [out(BOB, 60n), out(ALICE, 39n)]),
      txHash: HASH,
      signers: [ALICE],
    });
    const effects = exec.effects();
    expect(effects.spent).toEqual([{ utxoPos: pos(1000), txindex: 0 }]);
    expect(effects.created.map((c) => [c.utxoPos, c.owner, c.amount])).toEqual([
      [pos(2000, 0, 0), BOB, 60n],
      [pos(2000, 0, 1), ALICE, 39n],
    ]);
    expect(effects.unclaimedFees).toEqual(new Map([[ETH_TOKEN, 1n]]));
    expect(outputPosition(2000n, 3, 1)).toBe(2_000_000_030_001n);
  });

  it('creates outputs at exact positions in blocks on either side of 2^53 and in the last block', () => {
    // Below ~9,007,199 the ledger works positions out with numbers; above, with bigints.
    for (const blknum of [9_007_000n, 9_008_000n, 180_143_985_000n]) {
      const input = encodeUtxoPos({ blknum: blknum - 1000n, txindex: 7n, oindex: 3n });
      const exec = execution([[input, utxo(ALICE, 100n)]], blknum);
      const four = [out(BOB, 10n), out(BOB, 10n), out(BOB, 10n), out(ALICE, 10n)];
      exec.apply({ kind: 'payment', tx: payment([input], four), txHash: HASH, signers: [ALICE] });
      // Transaction 1 spends transaction 0's last output, found by its position in this block.
      const spent = encodeUtxoPos({ blknum, txindex: 0n, oindex: 3n });
      const three = [out(BOB, 3n), out(BOB, 3n), out(BOB, 3n)];
      exec.apply({ kind: 'payment', tx: payment([spent], three), txHash: HASH, signers: [ALICE] });
      expect(exec.effects().created.map((c) => c.utxoPos)).toEqual([
        ...[0, 1, 2].map((o) => encodeUtxoPos({ blknum, txindex: 0n, oindex: BigInt(o) })),
        ...[0, 1, 2].map((o) => encodeUtxoPos({ blknum, txindex: 1n, oindex: BigInt(o) })),
      ]);
      expect(outputPosition(blknum, 1, 2)).toBe(encodeUtxoPos({ blknum, txindex: 1n, oindex: 2n }));
    }
  });

  it('lets a later transaction spend an output created earlier in the same block, and nets it out', () => {
    const exec = execution([[pos(1000), utxo(ALICE, 100n)]]);
    exec.apply({
      kind: 'payment',
      tx: payment([pos(1000)], [out(BOB, 100n)]),
      txHash: HASH,
      signers: [ALICE],
    });
    exec.apply({
      kind: 'payment',
      tx: payment([pos(2000, 0, 0)], [out(ALICE, 100n)]),
      txHash: HASH,
      signers: [BOB],
    });
    const effects = exec.effects();
    expect(effects.spent).toEqual([{ utxoPos: pos(1000), txindex: 0 }]);
    expect(effects.created.map((c) => c.utxoPos)).toEqual([pos(2000, 1, 0)]);
  });

  it('hands out effects in deltas that change the UTXO set as effects() does, wherever the cuts fall', () => {
    // A chain of payments inside one block: each spends one output from before the block or one
    // created earlier in it (by index into what exists so far), creating 1–3 outputs; the deltas are
    // taken after random transactions and applied to a set in order.
    const before = Array.from({ length: 6 }, (_, i): [bigint, LedgerUtxo] => [
      pos(1000, i),
      utxo(ALICE, 1_000n),
    ]);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ pick: fc.nat(), outputs: fc.integer({ min: 1, max: 3 }), cut: fc.boolean() }),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        (steps) => {
          const exec = execution(before);
          const live = new Map<bigint, bigint>(before.map(([p, u]) => [p, u.amount]));
          const set = new Set(live.keys());
          const deltas: ReturnType<BlockExecution['takeEffects']>[] = [];
          steps.forEach((step, txindex) => {
            const [input, amount] = [...live][step.pick % live.size]!;
            live.delete(input);
            const outputs = Array.from({ length: step.outputs }, (_, o) =>
              out(ALICE, o === 0 ? amount - BigInt(step.outputs - 1) : 1n),
            );
            exec.apply({
              kind: 'payment',
              tx: payment([input], outputs),
              txHash: HASH,
              signers: [ALICE],
            });
            outputs.forEach((o, oindex) => live.set(pos(2000, txindex, oindex), o.amount));
            if (step.cut) deltas.push(exec.takeEffects());
          });
          deltas.push(exec.takeEffects());
          expect(exec.takeEffects()).toEqual({ created: [], spent: [], uncreated: [] });
          for (const d of deltas) {
            for (const c of d.created) set.add(c.utxoPos);
            for (const s of d.spent) expect(set.delete(s.utxoPos)).toBe(true);
            for (const u of d.uncreated) expect(set.delete(u)).toBe(true);
          }
          const effects = exec.effects();
          const expected = new Set(before.map(([p]) => p));
          for (const s of effects.spent) expected.delete(s.utxoPos);
          for (const c of effects.created) expected.add(c.utxoPos);
          expect(set).toEqual(expected);
          expect(set).toEqual(new Set(live.keys()));
          // Spend records: exactly the effects' spends, each once.
          expect(deltas.flatMap((d) => d.spent)).toEqual(effects.spent);
        },
      ),
    );
  });

  it('refuses a double spend inside the block and leaves the block as it was', () => {
    const exec = execution([[pos(1000), utxo(ALICE, 100n)]]);
    exec.apply({
      kind: 'payment',
      tx: payment([pos(1000)], [out(BOB, 100n)]),
      txHash: HASH,
      signers: [ALICE],
    });
    expect(
      code(() =>
        exec.apply({
          kind: 'payment',
          tx: payment([pos(1000)], [out(BOB, 100n)]),
          txHash: HASH,
          signers: [ALICE],
        }),
      ),
    ).toBe('utxo_not_found');
    expect(exec.transactionCount).toBe(1);
  });

  it.each([
    ['an unknown input', [pos(1001)], [ALICE], [out(BOB, 1n)], 'utxo_not_found'],
    ['a spend signed by someone else', [pos(1000)], [BOB], [out(BOB, 1n)], 'unauthorized_spend'],
    [
      'a spend with no recoverable signer',
      [pos(1000)],
      [null],
      [out(BOB, 1n)],
      'unauthorized_spend',
    ],
    ['outputs larger than inputs', [pos(1000)], [ALICE], [out(BOB, 101n)], 'amounts_do_not_add_up'],
    [
      'an output in a token the inputs do not hold',
      [pos(1000)],
      [ALICE],
      [out(BOB, 1n, TOKEN)],
      'amounts_do_not_add_up',
    ],
    [
      'a missing output of the block being applied',
      [pos(2000, 1, 0)],
      [ALICE],
      [out(BOB, 1n)],
      'utxo_not_found',
    ],
    [
      'an input from a later block',
      [pos(3000)],
      [ALICE],
      [out(BOB, 1n)],
      'input_utxo_ahead_of_state',
    ],
  ] as const)('refuses %s', (_name, inputs, signers, outputs, atom) => {
    const exec = execution([[pos(1000), utxo(ALICE, 100n)]]);
    expect(
      code(() =>
        exec.apply({
          kind: 'payment',
          tx: payment([...inputs], [...outputs]),
          txHash: HASH,
          signers,
        }),
      ),
    ).toBe(atom);
    expect(exec.effects().spent).toEqual([]);
  });

  it('refuses payments past the block limit', () => {
    const exec = execution([[pos(1000), utxo(ALICE, 100n)]]);
    expect(
      code(() =>
        exec.checkPayment(payment([pos(1000)], [out(BOB, 1n)]), [ALICE], MAX_PAYMENTS_PER_BLOCK),
      ),
    ).toBe('too_many_transactions_in_block');
  });

  it('accepts a fee claim of exactly the collected fee, then refuses further payments', () => {
    const exec = execution([
      [pos(1000), utxo(ALICE, 100n)],
      [pos(1001), utxo(BOB, 50n, TOKEN)],
    ]);
    exec.apply({
      kind: 'payment',
      tx: payment([pos(1000)], [out(BOB, 97n)]),
      txHash: HASH,
      signers: [ALICE],
    });
    exec.apply({ kind: 'fee', tx: feeClaim(ETH_TOKEN, 3n), txHash: HASH });
    expect(exec.effects().created.at(-1)).toMatchObject({
      utxoPos: pos(2000, 1, 0),
      owner: OPERATOR,
      amount: 3n,
      outputType: OUTPUT_TYPE_FEE_CLAIM,
    });
    expect(
      code(() =>
        exec.apply({
          kind: 'payment',
          tx: payment([pos(1001)], [out(ALICE, 50n, TOKEN)]),
          txHash: HASH,
          signers: [BOB],
        }),
      ),
    ).toBe('payments_rejected_during_fee_claiming');
  });

  it.each([
    ['a token with no fee collected', TOKEN, 3n, 'surplus_in_token_not_collected'],
    ['more than was collected', ETH_TOKEN, 4n, 'claimed_and_collected_amounts_mismatch'],
    ['less than was collected', ETH_TOKEN, 2n, 'claimed_and_collected_amounts_mismatch'],
  ] as const)('refuses a fee claim of %s', (_name, token, amount, atom) => {
    const exec = execution([[pos(1000), utxo(ALICE, 100n)]]);
    exec.apply({
      kind: 'payment',
      tx: payment([pos(1000)], [out(BOB, 97n)]),
      txHash: HASH,
      signers: [ALICE],
    });
    expect(code(() => exec.apply({ kind: 'fee', tx: feeClaim(token, amount), txHash: HASH }))).toBe(
      atom,
    );
  });

  it('lets a fee-claim output be spent by a later block', () => {
    const exec = execution([
      [
        pos(1000, 5, 0),
        { outputType: OUTPUT_TYPE_FEE_CLAIM, owner: OPERATOR, token: ETH_TOKEN, amount: 9n },
      ],
    ]);
    exec.apply({
      kind: 'payment',
      tx: payment([pos(1000, 5, 0)], [out(OPERATOR, 9n)]),
      txHash: HASH,
      signers: [OPERATOR],
    });
    expect(exec.effects().spent).toHaveLength(1);
  });
});

describe('checkPaymentFee', () => {
  const fees = new Map([
    [ETH_TOKEN, 3n],
    [TOKEN, 10n],
  ]);
  const inputs = [utxo(ALICE, 100n)];
  const feeCode = (
    surplus: Map<Address, bigint>,
    tx = payment([pos(1000)], [out(BOB, 1n)]),
    ins = inputs,
  ): string | null => {
    try {
      checkPaymentFee(tx, ins, surplus, fees);
      return null;
    } catch (e) {
      return (e as { code: string }).code;
    }
  };

  it('accepts exactly the fee in one token of the table', () => {
    expect(feeCode(new Map([[ETH_TOKEN, 3n]]))).toBeNull();
    expect(feeCode(new Map([[TOKEN, 10n]]))).toBeNull();
  });
  it.each([
    ['no surplus', new Map<Address, bigint>(), 'fees_not_covered'],
    ['too little', new Map([[ETH_TOKEN, 2n]]), 'fees_not_covered'],
    ['a token with no fee', new Map([[BOB, 3n]]), 'fees_not_covered'],
    ['too much', new Map([[ETH_TOKEN, 4n]]), 'overpaying_fees'],
    [
      'two tokens',
      new Map([
        [ETH_TOKEN, 3n],
        [TOKEN, 10n],
      ]),
      'multiple_potential_currency_fees',
    ],
  ] as const)('refuses %s', (_name, surplus, atom) => {
    expect(feeCode(new Map(surplus))).toBe(atom);
  });
  it('lets a merge go free, and refuses a merge that leaves a surplus', () => {
    const merge = payment([pos(1000), pos(1001)], [out(ALICE, 150n)]);
    const mergeInputs = [utxo(ALICE, 100n), utxo(ALICE, 50n)];
    expect(feeCode(new Map(), merge, mergeInputs)).toBeNull();
    expect(
      feeCode(
        new Map([[ETH_TOKEN, 3n]]),
        payment([pos(1000), pos(1001)], [out(ALICE, 147n)]),
        mergeInputs,
      ),
    ).toBe('overpaying_fees');
  });
});
