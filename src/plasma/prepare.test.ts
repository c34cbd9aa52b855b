import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { signPayment } from './eip712';
import { hexToBytes } from './hex';
import { leafHashesInto } from './merkle';
import { encodeUtxoPos } from './position';
import { PrepareError, prepareTransactions } from './prepare';
import { jsRecoverer, SECP256K1_N, type SignatureRecoverer } from './recover';
import { decodeRlp, encodeRlp, type RlpItem } from './rlp';
import { encodeFeeTx, encodeSigned, encodePayment, feeTxNonce, txHash } from './tx';
import {
  ETH_TOKEN,
  NULL_METADATA,
  OUTPUT_TYPE_FEE_CLAIM,
  type Address,
  type Hex,
  type PaymentTx,
} from './types';

const FRAMEWORK: Address = '0x44de0ec539b8c4a4b530c78620fe8320167f2f74';
const alice = new Wallet('0x' + '11'.repeat(32));
const bob = new Wallet('0x' + '22'.repeat(32));
const ALICE = alice.address.toLowerCase() as Address;
const BOB = bob.address.toLowerCase() as Address;

const tx = (blknum: bigint): PaymentTx => ({
  txType: 1n,
  inputs: [
    encodeUtxoPos({ blknum, txindex: 0n, oindex: 0n }),
    encodeUtxoPos({ blknum, txindex: 1n, oindex: 0n }),
  ],
  outputs: [{ outputType: 1n, outputGuard: BOB, token: ETH_TOKEN, amount: 10n }],
  txData: 0n,
  metadata: NULL_METADATA,
});

function signed(payment: PaymentTx, keys: Hex[]): Uint8Array {
  return encodeSigned({ tx: payment, sigs: signPayment(payment, keys, FRAMEWORK) });
}

async function failure(
  batch: Uint8Array[],
  options?: { allowFeeClaims?: boolean },
): Promise<PrepareError> {
  try {
    await prepareTransactions(batch, FRAMEWORK, jsRecoverer, options);
  } catch (e) {
    expect(e).toBeInstanceOf(PrepareError);
    return e as PrepareError;
  }
  throw new Error('expected a PrepareError');
}

describe('prepareTransactions', () => {
  it('decodes, hashes and recovers each input signer in order', async () => {
    const a = tx(1000n);
    const b = tx(2000n);
    const prepared = await prepareTransactions(
      [
        signed(a, [alice.privateKey as Hex, bob.privateKey as Hex]),
        signed(b, [bob.privateKey as Hex, bob.privateKey as Hex]),
      ],
      FRAMEWORK,
      jsRecoverer,
    );
    expect(prepared.map((p) => p.exec.kind === 'payment' && p.exec.signers)).toEqual([
      [ALICE, BOB],
      [BOB, BOB],
    ]);
    expect(prepared[0]!.txHash).toBe(txHash(encodePayment(a)));
    expect(prepared[1]!.txBytes).toEqual(encodePayment(b));
  });

  it('recovers a signature repeated across inputs once, and gives its signer to each input', async () => {
    const carol = new Wallet('0x' + '33'.repeat(32));
    const three: PaymentTx = {
      ...tx(3000n),
      inputs: [0n, 1n, 2n].map((txindex) => encodeUtxoPos({ blknum: 3000n, txindex, oindex: 0n })),
    };
    const keys = [alice, carol, alice].map((w) => w.privateKey as Hex);
    const asked: { digest: Uint8Array; sig: Uint8Array }[][] = [];
    const counting: SignatureRecoverer = {
      recoverBatch: (items) => {
        asked.push([...items]);
        return jsRecoverer.recoverBatch(items);
      },
    };
    const prepared = await prepareTransactions(
      [
        signed(tx(1000n), [bob.privateKey as Hex, bob.privateKey as Hex]),
        signed(three, keys),
        signed(tx(2000n), [bob.privateKey as Hex, bob.privateKey as Hex]),
      ],
      FRAMEWORK,
      counting,
    );
    expect(prepared.map((p) => p.exec.kind === 'payment' && p.exec.signers)).toEqual([
      [BOB, BOB],
      [ALICE, carol.address.toLowerCase(), ALICE],
      [BOB, BOB],
    ]);
    // One batch: bob's signature of each two-input payment once (the digests differ), alice's and carol's once.
    expect(asked).toHaveLength(1);
    expect(asked[0]).toHaveLength(4);
  });

  it('names the first input of a repeated signature that recovers no signer', async () => {
    const payment: PaymentTx = {
      ...tx(1000n),
      inputs: [0n, 1n, 2n].map((txindex) => encodeUtxoPos({ blknum: 1000n, txindex, oindex: 0n })),
    };
    const [good] = signPayment(
      payment,
      [0, 1, 2].map(() => bob.privateKey as Hex),
      FRAMEWORK,
    );
    const zeroR = `0x${'00'.repeat(32)}${good!.slice(66)}` as Hex;
    const error = await failure([encodeSigned({ tx: payment, sigs: [good!, zeroR, zeroR] })]);
    expect(error).toMatchObject({ index: 0, code: 'signature_corrupt' });
    expect(error.message).toContain('input 1');
  });

  it('names the first malformed transaction by index', async () => {
    const good = signed(tx(1000n), [alice.privateKey as Hex, alice.privateKey as Hex]);
    const error = await failure([good, hexToBytes('0xc3010203'), hexToBytes('0xdeadbeef')]);
    expect(error.index).toBe(1);
    expect(error.code).toMatch(/^malformed_/);
  });

  it('refuses a signature the contracts could not recover (high s)', async () => {
    const payment = tx(1000n);
    const [sig] = signPayment(
      payment,
      [alice.privateKey as Hex, alice.privateKey as Hex],
      FRAMEWORK,
    );
    const bytes = hexToBytes(sig!);
    const s = BigInt('0x' + Buffer.from(bytes.slice(32, 64)).toString('hex'));
    const flipped = hexToBytes('0x' + (SECP256K1_N - s).toString(16).padStart(64, '0'));
    bytes.set(flipped, 32);
    bytes[64] = bytes[64] === 27 ? 28 : 27;
    const highS = `0x${Buffer.from(bytes).toString('hex')}` as Hex;
    const error = await failure([encodeSigned({ tx: payment, sigs: [highS, highS] })]);
    expect(error).toMatchObject({ index: 0, code: 'signature_corrupt' });
  });

  it('accepts fee claims in blocks but not as user submissions', async () => {
    const fee = encodeFeeTx(
      {
        txType: 3n,
        output: {
          outputType: OUTPUT_TYPE_FEE_CLAIM,
          outputGuard: ALICE,
          token: ETH_TOKEN,
          amount: 5n,
        },
        nonce: feeTxNonce(1000n, ETH_TOKEN),
        metadata: NULL_METADATA,
      },
      'elixir',
    );
    const items = decodeRlp(fee) as RlpItem[];
    const feeSigned = encodeRlp([[], ...items]);
    const [prepared] = await prepareTransactions([feeSigned], FRAMEWORK, jsRecoverer);
    expect(prepared!.exec).toMatchObject({
      kind: 'fee',
      tx: { output: { amount: 5n, outputGuard: ALICE } },
    });
    expect(prepared!.txHash).toBe(txHash(fee));
    const error = await failure([feeSigned], { allowFeeClaims: false });
    expect(error.code).toBe('unrecognized_transaction_type');

    // A slice of payments and a fee claim: hashes and Merkle leaves as the library makes them one
    // by one, across the hashing batches of 1,024 transactions.
    const payment = signed(tx(1000n), [alice.privateKey as Hex, alice.privateKey as Hex]);
    const slice = [...Array.from({ length: 1500 }, () => payment), feeSigned];
    const leaves = new Uint8Array(32 * slice.length);
    // (Recovery is not what this checks: every signature is Alice's.)
    const alicesOnly: SignatureRecoverer = {
      recoverBatch: (items) => Promise.resolve(items.map(() => ALICE)),
    };
    const all = await prepareTransactions(slice, FRAMEWORK, alicesOnly, { leavesInto: leaves });
    const expected = new Uint8Array(32 * slice.length);
    leafHashesInto(
      all.map((p) => p.txBytes),
      expected,
    );
    expect(leaves).toEqual(expected);
    expect(all[1499]!.txHash).toBe(txHash(encodePayment(tx(1000n))));
    expect(all[1500]!.txHash).toBe(txHash(fee));
    expect(all[1499]!.exec).toMatchObject({ signers: [ALICE, ALICE] });
  });
});
