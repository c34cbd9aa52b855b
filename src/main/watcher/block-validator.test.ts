// The block validator on built blocks: one honest block, then one block per failure, each giving the
// spec's error_type (and, for tx_execution, the ledger's atom) for the first bad transaction.
import { afterAll, describe, expect, it } from 'vitest';
import { craftBadTransaction } from '../../../devnet/operator/cheats';
import { concatBytes } from '../../plasma/hex';
import type { EffectsDelta, LedgerUtxo } from '../../plasma/ledger';
import { jsRecoverer, type SignatureRecoverer } from '../../plasma/recover';
import { decodeRlp, type RlpItem } from '../../plasma/rlp';
import { ETH_TOKEN, type Address } from '../../plasma/types';
import { createRecoveryPool } from '../crypto';
import type { BlockTransaction } from '../store';
import {
  BlockCheckError,
  checkAndExecute,
  checkBlock,
  startCheck,
  validateBlock,
  type BlockRequest,
} from './block-validator';
import type { BlockGetData } from './child-chain-client';
import {
  ALICE,
  BOB,
  CONTRACT,
  ethOutput,
  feeClaim as feeClaimOf,
  keyOf,
  pay as payBy,
  pos,
  servedBlock,
} from './testing-blocks';

const BLKNUM = 3000n;
/** Deposits 1001 (Alice, 100), 1002 (Bob, 50) and an output of block 2000 (Alice, 30). */
const UTXOS = new Map<bigint, LedgerUtxo>([
  [pos(1001n), ethOutput(ALICE, 100n)],
  [pos(1002n), ethOutput(BOB, 50n)],
  [pos(2000n, 3n, 1n), ethOutput(ALICE, 30n)],
]);
const lookup = { getUtxo: (p: bigint) => UTXOS.get(p) };

const pay = (
  inputs: bigint[],
  outputs: [Address, bigint][],
  signers: Address[] = inputs.map((p) => UTXOS.get(p)?.owner ?? ALICE),
) => payBy(inputs, outputs, signers);
const feeClaim = (amount: bigint) => feeClaimOf(BLKNUM, amount);

function served(txs: Uint8Array[], over: Partial<BlockGetData> = {}) {
  const s = servedBlock(BLKNUM, txs);
  return { request: s.request, response: { ...s.response, ...over } };
}

const ctx = { verifyingContract: CONTRACT, recoverer: jsRecoverer, utxos: lookup };

async function failureOf(txs: Uint8Array[], over: Partial<BlockGetData> = {}) {
  const { request, response } = served(txs, over);
  const r = await validateBlock(request, response, ctx);
  if (r.ok) throw new Error('the block was accepted');
  return r;
}

const honest = () => [
  pay(
    [pos(1001n)],
    [
      [BOB, 60n],
      [ALICE, 39n],
    ],
  ), // fee 1
  pay([pos(BLKNUM, 0n, 0n), pos(1002n)], [[ALICE, 110n]], [BOB, BOB]), // spends an output of this block
  pay([pos(2000n, 3n, 1n)], [[BOB, 30n]]),
];

describe('validateBlock', () => {
  it('accepts an honest block and returns what it changes', async () => {
    const txs = honest();
    const { request, response } = served(txs);
    const r = await validateBlock(request, response, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.block).toMatchObject({ blknum: BLKNUM, hash: request.hash, ethHeight: 77 });
    expect(r.block.transactions.map((t) => t.txindex)).toEqual([0, 1, 2]);
    expect(r.block.transactions[1]!.signedBytes).toEqual(txs[1]);
    // Output (3000,0,0) was created and spent inside the block: neither spent nor created outside it.
    expect(r.effects.spent.map((s) => s.utxoPos).sort()).toEqual(
      [pos(1001n), pos(1002n), pos(2000n, 3n, 1n)].sort(),
    );
    expect(r.effects.created.map((c) => c.utxoPos)).toEqual([
      pos(BLKNUM, 0n, 1n),
      pos(BLKNUM, 1n, 0n),
      pos(BLKNUM, 2n, 0n),
    ]);
    expect(r.effects.unclaimedFees.get(ETH_TOKEN)).toBe(1n);
  });

  it('accepts a fee claim of exactly the collected fees at the tail', async () => {
    const r = await validateBlock(...args(served([...honest(), feeClaim(1n)])));
    expect(r.ok).toBe(true);
  });

  it('gives bad_returned_hash, then bad_returned_number, before looking at transactions', async () => {
    const other = `0x${'11'.repeat(32)}`;
    expect((await failureOf([Uint8Array.of(1)], { hash: other })).errorType).toBe(
      'bad_returned_hash',
    );
    expect((await failureOf([Uint8Array.of(1)], { blknum: 4000n })).errorType).toBe(
      'bad_returned_number',
    );
  });

  it('gives transactions_exceed_block_limit past 65,536 transactions without decoding them', async () => {
    const { request } = served([]);
    const r = await checkBlock(
      request,
      { blknum: BLKNUM, hash: request.hash, transactions: new Array(65_537).fill(Uint8Array.of()) },
      ctx,
    );
    expect(r.ok || r.errorType).toBe('transactions_exceed_block_limit');
  });

  it('gives the decoder atom and index of the first undecodable transaction', async () => {
    const txs = honest();
    const junk = concatBytes(Uint8Array.of(0xf8, 0x80), new Uint8Array(32));
    const r = await failureOf([txs[0]!, junk, txs[2]!]);
    expect(r).toMatchObject({ errorType: 'malformed_transaction_rlp', txindex: 1 });
  });

  it('gives duplicate_inputs for the operator cheat that names one input twice', async () => {
    const dup = craftBadTransaction('double_spend_in_tx', {
      blknum: BLKNUM,
      verifyingContract: CONTRACT,
      operatorKey: keyOf(ALICE),
      operatorAddress: ALICE,
      operatorUtxo: { utxoPos: pos(1001n), utxo: UTXOS.get(pos(1001n))! },
    })!;
    expect((await failureOf([dup])).errorType).toBe('duplicate_inputs');
  });

  it('gives signature_corrupt for a signature that recovers nobody, before a later decode error', async () => {
    const good = pay([pos(1001n)], [[BOB, 100n]]);
    const bad = Buffer.from(good);
    // Set v (the last byte of the only signature) to 29: no signer can be recovered.
    bad[bad.indexOf(Buffer.from(firstSignature(good))) + 64] = 29;
    const junk = Uint8Array.of(0xc0);
    for (const sliceTxs of [1, 128]) {
      const { request, response } = served([bad, junk]);
      const r = await validateBlock(request, response, { ...ctx, sliceTxs });
      expect(r).toMatchObject({ ok: false, errorType: 'signature_corrupt', txindex: 0 });
    }
  });

  it('gives incorrect_hash when the transactions do not hash to the submitted root', async () => {
    const txs = honest();
    const { request, response } = served(txs);
    const r = await validateBlock(request, { ...response, transactions: txs.slice(0, 2) }, ctx);
    expect(r).toMatchObject({ ok: false, errorType: 'incorrect_hash' });
  });

  it.each([
    ['utxo_not_found', () => [pay([pos(2001n)], [[ALICE, 1n]], [ALICE])], 0, pos(2001n)],
    [
      'utxo_not_found',
      () => [pay([pos(1001n)], [[BOB, 100n]]), pay([pos(1001n)], [[BOB, 100n]])],
      1,
      pos(1001n),
    ],
    ['unauthorized_spend', () => [pay([pos(1001n)], [[BOB, 100n]], [BOB])], 0, undefined],
    ['amounts_do_not_add_up', () => [pay([pos(1001n)], [[BOB, 101n]])], 0, undefined],
    [
      'input_utxo_ahead_of_state',
      () => [pay([pos(BLKNUM + 1000n)], [[BOB, 1n]], [ALICE])],
      0,
      undefined,
    ],
    [
      'payments_rejected_during_fee_claiming',
      () => {
        const [a, b] = honest();
        return [a!, feeClaim(1n), b!];
      },
      2,
      undefined,
    ],
    ['claimed_and_collected_amounts_mismatch', () => [...honest(), feeClaim(2n)], 3, undefined],
    ['surplus_in_token_not_collected', () => [feeClaim(1n)], 0, undefined],
  ] as const)(
    'gives tx_execution (%s) at the first transaction that breaks the ledger',
    async (reason, build, txindex, missingInput) => {
      const r = await failureOf(build());
      expect(r).toMatchObject({ errorType: 'tx_execution', reason, txindex });
      expect(r.missingInput).toBe(missingInput);
    },
  );

  it('prefetches inputs in one batch when the lookup offers getUtxos', async () => {
    const asked: bigint[][] = [];
    const batch = {
      getUtxo: () => {
        throw new Error('single lookups should not be needed');
      },
      getUtxos: (ps: Iterable<bigint>) => {
        const list = [...ps];
        asked.push(list);
        return new Map(list.filter((p) => UTXOS.has(p)).map((p) => [p, UTXOS.get(p)!]));
      },
    };
    const { request, response } = served(honest());
    const check = startCheck(request, response, ctx);
    expect((await checkAndExecute(request, check, batch)).ok).toBe(true);
    expect(asked).toHaveLength(1);
  });

  describe('with the native worker pool, in small slices', () => {
    const pool = createRecoveryPool({ threads: 2, warn: () => undefined });
    afterAll(() => pool.close());

    it('gives the same verdicts as the JS recoverer', async () => {
      const many = Array.from({ length: 20 }, () => honest()[2]!);
      const ok = served(honest());
      const r = await validateBlock(ok.request, ok.response, {
        ...ctx,
        recoverer: pool,
        sliceTxs: 2,
      });
      expect(r.ok).toBe(true);
      const bad = served([...many.slice(0, 9), pay([pos(1001n)], [[BOB, 100n]], [BOB])]);
      const r2 = await validateBlock(bad.request, bad.response, {
        ...ctx,
        recoverer: pool,
        sliceTxs: 3,
      });
      // The first of the repeated spends already fails: the output is spent by tx 0.
      expect(r2).toMatchObject({ ok: false, errorType: 'tx_execution', txindex: 1 });
    });
  });
});

describe('checkAndExecute (the block getter: each slice executed as soon as it is checked)', () => {
  /** A write that records what it is given, in order. */
  function recordingWrite() {
    const log: string[] = [];
    const txindexes: number[] = [];
    return {
      log,
      txindexes,
      transactions: (txs: readonly BlockTransaction[]) => {
        log.push(`transactions ${txs.length}`);
        txindexes.push(...txs.map((t) => t.txindex));
      },
      add: (delta: EffectsDelta) => void log.push(`effects ${delta.created.length}`),
    };
  }

  /** The JS recoverer, holding back every batch after the first `free` until `release()`. */
  function gatedRecoverer(free: number) {
    let batches = 0;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const recoverer: SignatureRecoverer = {
      recoverBatch: async (items) => {
        if (++batches > free) await gate;
        return jsRecoverer.recoverBatch(items);
      },
    };
    return { recoverer, release: () => open(), batches: () => batches };
  }

  it('executes a slice and hands on its transactions before later slices are recovered', async () => {
    const { request, response } = served(honest());
    const gated = gatedRecoverer(1);
    const write = recordingWrite();
    const looked: bigint[] = [];
    const watched = {
      getUtxo: (p: bigint) => {
        looked.push(p);
        return UTXOS.get(p);
      },
    };
    const check = startCheck(request, response, {
      ...ctx,
      recoverer: gated.recoverer,
      sliceTxs: 1,
    });
    const done = checkAndExecute(request, check, watched, write);
    // (Up to 2 s: under load the pure-JS recovery of slice 0 can take a while; 1 and 2 stay gated.)
    for (let i = 0; i < 1000 && (looked.length === 0 || gated.batches() < 3); i++)
      await new Promise((r) => setTimeout(r, 2));
    // Transaction 0 is executed (its input looked up), its rows and its effects (two outputs) handed
    // on while 1 and 2 wait for their signers: a block's last 4,096 transactions go over slice by slice.
    expect(looked).toEqual([pos(1001n)]);
    expect(write.log).toEqual(['transactions 1', 'effects 2']);
    expect(gated.batches()).toBe(3);
    gated.release();
    const r = await done;
    expect(r.ok).toBe(true);
    expect(write.txindexes).toEqual([0, 1, 2]);
    // Each slice's effects follow its rows; an output of transaction 0 that a later one spent comes
    // back in that later delta as uncreated (created counts: 2, then 1 and 1).
    expect(write.log).toEqual([
      'transactions 1',
      'effects 2',
      'transactions 1',
      'effects 1',
      'transactions 1',
      'effects 1',
    ]);
  });

  it('gives the same verdict as the checks first: a stateless failure anywhere comes before an execution failure', async () => {
    const [a, , c] = honest();
    const spendTwice = pay([pos(1001n)], [[BOB, 100n]]);
    const junk = concatBytes(Uint8Array.of(0xf8, 0x80), new Uint8Array(32));
    for (const sliceTxs of [1, 2, 128]) {
      const options = { ...ctx, sliceTxs };
      // Transaction 1 spends what 0 spent (execution), transaction 3 cannot be decoded (stateless).
      const both = served([a!, spendTwice, c!, junk]);
      expect(
        await checkAndExecute(
          both.request,
          startCheck(both.request, both.response, options),
          lookup,
        ),
      ).toMatchObject({ ok: false, errorType: 'malformed_transaction_rlp', txindex: 3 });
      // The execution failure alone, in a later slice: its index in the block.
      const exec = served([a!, c!, spendTwice]);
      expect(
        await checkAndExecute(
          exec.request,
          startCheck(exec.request, exec.response, options),
          lookup,
        ),
      ).toMatchObject({
        ok: false,
        errorType: 'tx_execution',
        reason: 'utxo_not_found',
        txindex: 2,
      });
      // A wrong root comes before the execution failure too: served in another order than submitted.
      const root = served([a!, c!, spendTwice]);
      const wrong = { ...root.response, transactions: [a!, spendTwice, c!] };
      const stateless = startCheck(root.request, wrong, options);
      expect(await checkAndExecute(root.request, stateless, lookup)).toMatchObject({
        ok: false,
        errorType: 'incorrect_hash',
      });
    }
  });

  it('throws BlockCheckError when the recoverer fails', async () => {
    const { request, response } = served(honest());
    let settled = 0;
    const failing: SignatureRecoverer = {
      recoverBatch: async (items) => {
        await new Promise((r) => setTimeout(r, 5));
        settled++;
        if (settled === 2) throw new Error('the pool was closed');
        return jsRecoverer.recoverBatch(items);
      },
    };
    const check = startCheck(request, response, { ...ctx, recoverer: failing, sliceTxs: 1 });
    const error = await checkAndExecute(request, check, lookup, recordingWrite()).catch((e) => e);
    expect(error).toBeInstanceOf(BlockCheckError);
    expect((error as Error).message).toMatch(/block 3000 failed: the pool was closed/);
  });
});

function args(s: { request: BlockRequest; response: BlockGetData }) {
  return [s.request, s.response, ctx] as const;
}

/** The first signature of a signed payment (to find it in the bytes). */
function firstSignature(signed: Uint8Array): Uint8Array {
  const sigs = (decodeRlp(signed) as RlpItem[])[0] as Uint8Array[];
  return sigs[0]!;
}
