// Shared fixtures of the src/plasma tests: the public transactions P1 and P2 of
// spec/vectors-public.md §5 and fast-check generators of valid payments. Pure (no node:*).
import fc from 'fast-check';
import { bytesToHex } from '../hex';
import { encodeUtxoPos, MAX_BLKNUM } from '../position';
import { ETH_TOKEN, NULL_METADATA, type Address, type Hex, type PaymentTx } from '../types';

export const ALICE = '0x9c7fc8601655b4e1ef395107217e6ed600f7ba48' as Address;
export const BOB = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8' as Address;
export const CAROL = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc' as Address;
export const TOKEN = '0x0123456789abcdef000000000000000000000000' as Address;
export const MD = '0x217a1ebbb9834c507bc3cf6bca6e98005aa44ba81572f89a922b83ed3215f122' as Hex;

export const pos = (blknum: bigint, txindex = 0n, oindex = 0n) =>
  encodeUtxoPos({ blknum, txindex, oindex });
export const out = (owner: Address, token: Address, amount: bigint) => ({
  outputType: 1n,
  outputGuard: owner,
  token,
  amount,
});
export const P1: PaymentTx = {
  txType: 1n,
  inputs: [pos(1n)],
  outputs: [out(BOB, ETH_TOKEN, 400000000000000000n), out(ALICE, ETH_TOKEN, 599000000000000000n)],
  txData: 0n,
  metadata: NULL_METADATA,
};
export const P2: PaymentTx = {
  txType: 1n,
  inputs: [pos(1000n), pos(1000n, 0n, 1n), pos(2n), pos(3n)],
  outputs: [
    out(CAROL, ETH_TOKEN, 300000000000000000n),
    out(BOB, TOKEN, 250n),
    out(ALICE, ETH_TOKEN, 600000000000000000n),
    out(BOB, TOKEN, 250n),
  ],
  txData: 0n,
  metadata: MD,
};

export const address = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((b) => bytesToHex(b) as Address);
const owner = address.filter((a) => a !== ETH_TOKEN);
const token = fc.oneof(fc.constant(ETH_TOKEN), address);
const amount = fc.oneof(
  fc.bigInt({ min: 1n, max: 255n }),
  fc.bigInt({ min: 1n, max: 1n << 64n }),
  fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
  fc.constant((1n << 256n) - 1n),
);
const position = fc
  .record({
    blknum: fc.oneof(fc.bigInt({ min: 0n, max: 5000n }), fc.bigInt({ min: 0n, max: MAX_BLKNUM })),
    txindex: fc.bigInt({ min: 0n, max: 65535n }),
    oindex: fc.bigInt({ min: 0n, max: 9999n }),
  })
  .map(encodeUtxoPos)
  .filter((p) => p !== 0n);
const metadata = fc.oneof(
  fc.constant(NULL_METADATA),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b)),
);
export const paymentArb: fc.Arbitrary<PaymentTx> = fc.record({
  txType: fc.constant(1n),
  inputs: fc.uniqueArray(position, { maxLength: 4 }),
  outputs: fc.array(fc.record({ outputType: fc.constant(1n), outputGuard: owner, token, amount }), {
    minLength: 1,
    maxLength: 4,
  }),
  txData: fc.constant(0n),
  metadata,
});
