import { describe, expect, it } from 'vitest';
import { ETH_TOKEN } from '../../plasma/types';
import type { UtxoView } from '../../shared/wallet';
import { planMerge } from './merge';
import { planSend, reviewLines, SendFormError, type SendContext, type SendForm } from './send';

const ALICE = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const BOB = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const ETHER = 10n ** 18n;
const tokens = { [ETH_TOKEN]: { address: ETH_TOKEN, symbol: 'ETH', decimals: 18, name: 'Ether' } };

function utxo(blknum: number, amount: bigint, owner = ALICE): UtxoView {
  return {
    utxoPos: String(BigInt(blknum) * 1_000_000_000n),
    blknum: String(blknum),
    txindex: 0,
    oindex: 0,
    owner,
    token: ETH_TOKEN,
    amount: amount.toString(),
    txHash: '0x' + '11'.repeat(32),
  };
}

const fee = { token: ETH_TOKEN, amount: '1000', symbol: 'ETH', decimals: 18 };
const form = (change: Partial<SendForm> = {}): SendForm => ({
  to: BOB,
  token: ETH_TOKEN,
  amount: '1',
  feeToken: ETH_TOKEN,
  note: '',
  ...change,
});
const ctx = (utxos: UtxoView[], change: Partial<SendContext> = {}): SendContext => ({
  from: ALICE,
  utxos,
  fees: [fee],
  tokens,
  exclude: [],
  ...change,
});

function refusal(run: () => unknown): SendFormError {
  try {
    run();
  } catch (error) {
    if (error instanceof SendFormError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('planSend', () => {
  it('reviews a payment: inputs, the recipient, change back and the fee', () => {
    const plan = planSend(form({ amount: '1.5' }), ctx([utxo(1001, 2n * ETHER)]));
    expect(plan.kind).toBe('payment');
    const lines = reviewLines(plan.review, tokens);
    expect(lines.inputs).toEqual(['2 ETH from output 1001000000000']);
    expect(lines.sent).toEqual(['1.5 ETH']);
    expect(lines.change).toEqual(['0.499999999999999 ETH']);
    expect(lines.fee).toEqual(['0.000000000000001 ETH']);
    expect(lines.outputs).toContain(`1.5 ETH to ${BOB.toLowerCase()}`);
  });

  it('refuses an address with a wrong checksum, on the recipient field', () => {
    const bad = BOB.replace('C51812', 'c51812');
    const error = refusal(() => planSend(form({ to: bad }), ctx([utxo(1001, ETHER)])));
    expect(error.field).toBe('to');
    expect(error.message).toMatch(/checksum/);
  });

  it('says how much is missing when the amount is above the balance', () => {
    const error = refusal(() => planSend(form({ amount: '2' }), ctx([utxo(1001, ETHER)])));
    expect(error.field).toBe('amount');
    expect(error.message).toContain('1.000000000000001 ETH more is needed');
  });

  it('refuses too many decimals, zero and a fee token the operator does not take', () => {
    expect(refusal(() => planSend(form({ amount: '0.0000000000000000001' }), ctx([]))).field).toBe(
      'amount',
    );
    expect(refusal(() => planSend(form({ amount: '0' }), ctx([]))).message).toMatch(/above zero/);
    expect(refusal(() => planSend(form(), ctx([], { fees: [] }))).field).toBe('feeToken');
  });

  it('proposes a free merge when more than 4 inputs are needed', () => {
    const many = [1001, 1002, 1003, 1004, 1005, 1006].map((b) => utxo(b, ETHER));
    const plan = planSend(form({ amount: '5.5' }), ctx(many));
    expect(plan.kind).toBe('merge');
    if (plan.kind !== 'merge') return;
    expect(plan.spending.inputs.length).toBeGreaterThanOrEqual(2);
    expect(plan.spending.inputs.length).toBeLessThanOrEqual(4);
    expect(plan.review.fee.every((f) => f.amount === 0n)).toBe(true);
    expect(plan.review.outputs).toHaveLength(1);
  });

  it('never selects outputs a pending payment already spends', () => {
    const spent = utxo(1001, 5n * ETHER);
    const plan = planSend(
      form(),
      ctx([spent, utxo(1002, 2n * ETHER)], { exclude: [spent.utxoPos] }),
    );
    expect(plan.review.inputs.map((i) => i.utxoPos)).toEqual([1002_000_000_000n]);
  });
});

describe('planMerge', () => {
  it('merges the chosen outputs into one, fee-free', () => {
    const views = [utxo(1001, ETHER), utxo(1002, 2n * ETHER), utxo(1003, ETHER)];
    const plan = planMerge(ALICE, views, [views[0]!.utxoPos, views[1]!.utxoPos]);
    expect(plan.review.outputs).toEqual([
      { owner: ALICE, token: ETH_TOKEN, amount: 3n * ETHER, toSelf: true },
    ]);
  });

  it('refuses a single output with a reason', () => {
    const views = [utxo(1001, ETHER)];
    expect(() => planMerge(ALICE, views, [views[0]!.utxoPos])).toThrow(/at least 2/);
  });
});
