import { readFileSync } from 'node:fs';
import { computeAddress, TypedDataEncoder } from 'ethers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DIGEST_SCRATCH_BYTES,
  digestHashCount,
  DOMAIN_TYPEHASH,
  domainSeparator,
  domainSeparatorBytes,
  EMPTY_INPUT_HASH,
  EMPTY_OUTPUT_HASH,
  INPUT_TYPEHASH,
  NAME_HASH,
  OUTPUT_TYPEHASH,
  queueSigningDigest,
  recoverSigner,
  signDigest,
  signingDigest,
  signPayment,
  structHash,
  TX_TYPEHASH,
  typedData,
  VERSION_HASH,
} from './eip712';
import { isPlasmaError, REVERT, type PlasmaError } from './errors';
import { bytesToHex, hexToBytes, keccak, keccakHex } from './hex';
import { keccakBatch, setKeccakBackend, type KeccakBackend } from './keccak';
import { encodeUtxoPos, MAX_BLKNUM } from './position';
import { SECP256K1_N } from './recover';
import { ALICE as ALICE_VECTOR, P1, P2, paymentArb } from './testing/fixtures';
import { encodeDeposit, encodePayment, decodePayment } from './tx';
import { ETH_TOKEN, NULL_METADATA, type Address, type Hex, type PaymentTx } from './types';

interface PaymentVector {
  id: string;
  quirk?: string;
  input: { verifyingContract: Address; tx: VTx; signers: Hex[] };
  expected: {
    typedData: { domain: Record<string, string>; message: Record<string, unknown> } & Record<
      string,
      unknown
    >;
    domainSeparator: Hex;
    messageHash: Hex;
    toSignHash: Hex;
    signatures: Hex[];
    signerAddresses: Address[];
  };
}
interface VTx {
  txType: number;
  inputs: { blknum: number; txindex: number; oindex: number }[];
  outputs: { outputType: number; outputGuard: string; currency: string; amount: string }[];
  txData: number;
  metadata: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../../shared/vectors/omgjs-v1-public.json', import.meta.url), 'utf8'),
) as { payment: PaymentVector[]; keys: { privateKey: Hex; address: Address }[] };
const publicMd = readFileSync(
  new URL('../../../shared/spec/vectors-public.md', import.meta.url),
  'utf8',
);

function txFromVector(v: VTx): PaymentTx {
  return {
    txType: BigInt(v.txType),
    inputs: v.inputs.map((i) =>
      encodeUtxoPos({
        blknum: BigInt(i.blknum),
        txindex: BigInt(i.txindex),
        oindex: BigInt(i.oindex),
      }),
    ),
    outputs: v.outputs.map((o) => ({
      outputType: BigInt(o.outputType),
      outputGuard: o.outputGuard as Address,
      token: o.currency as Address,
      amount: BigInt(o.amount),
    })),
    txData: BigInt(v.txData),
    metadata: v.metadata as Hex,
  };
}

function lowerOutput(o: { outputGuard: string; currency: string }) {
  return { ...o, outputGuard: o.outputGuard.toLowerCase(), currency: o.currency.toLowerCase() };
}

function lowercaseMessage(message: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(message)) {
    out[k] =
      typeof v === 'object' && v !== null && 'outputGuard' in v
        ? lowerOutput(v as { outputGuard: string; currency: string })
        : v;
  }
  return out;
}

function failure(f: () => unknown): PlasmaError {
  try {
    f();
  } catch (e) {
    if (isPlasmaError(e)) return e;
    throw e;
  }
  throw new Error('expected a PlasmaError');
}

function mdConst(label: string): Hex {
  const m = publicMd.match(
    new RegExp(`^\\| ${label.replace(/[()[\]]/g, '\\$&')} \\| \`(0x[0-9a-f]{64})\` \\|$`, 'm'),
  );
  if (!m) throw new Error(`no ${label}`);
  return m[1] as Hex;
}

function mdValue(section: string, label: string): Hex[] {
  const start = publicMd.indexOf(`### ${section}\n`);
  const next = publicMd.slice(start + 5).search(/\n##/);
  const line = publicMd
    .slice(start, start + 5 + next)
    .split('\n')
    .find((l) => l.startsWith(`- ${label}`));
  const all = [...(line ?? '').matchAll(/`(0x[0-9a-f]+)`/g)].map((m) => m[1] as Hex);
  if (all.length === 0) throw new Error(`no ${label} in ${section}`);
  return all;
}

const VC = '0x44de0ec539b8c4a4b530c78620fe8320167f2f74' as Address;
const VC2 = '0x5fbdb2315678afecb367f032d93f642f64180aa3' as Address;
const KEYS = {
  alice: '0x7151e5dab6f8e95b5436515b83f423c4df64fe4c6149f864daa209b26adb10ca',
  bob: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  carol: '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
} as const satisfies Record<string, Hex>;

describe('EIP-712 constants (vectors-public.md §2)', () => {
  it.each([
    ['domain type hash', DOMAIN_TYPEHASH],
    ['Input type hash', INPUT_TYPEHASH],
    ['Output type hash', OUTPUT_TYPEHASH],
    ['Transaction type hash (v1)', TX_TYPEHASH],
    ['keccak("OMG Network")', NAME_HASH],
    ['keccak("1")', VERSION_HASH],
    ['EMPTY_INPUT_HASH = h(Input(0,0,0))', EMPTY_INPUT_HASH],
    ['EMPTY_OUTPUT_HASH = h(Output(0,0x0,0x0,0))', EMPTY_OUTPUT_HASH],
  ])('%s', (label, value) => {
    expect(value).toBe(mdConst(label));
  });

  it('domain separators for VC and VC2', () => {
    expect(domainSeparator(VC)).toBe(
      mdConst('domain separator, VC [T: elixir-omg typed_data_hash_test]'),
    );
    expect(domainSeparator(VC2)).toBe(mdConst('domain separator, VC2 [O]'));
    expect(domainSeparator('0x5FbDB2315678afecb367f032d93F642f64180aa3' as Address)).toBe(
      domainSeparator(VC2),
    );
    expect(failure(() => domainSeparator('0x1234' as Address)).code).toBe('malformed_address');
  });
});

describe('payment vectors (omg-js): hashes, typed data, signatures, signers', () => {
  const cases = vectors.payment.filter((v) => !v.quirk);
  it.each(cases.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const tx = txFromVector(v.input.tx);
    const vc = v.input.verifyingContract;
    expect(domainSeparator(vc)).toBe(v.expected.domainSeparator);
    expect(structHash(tx)).toBe(v.expected.messageHash);
    const digest = signingDigest(tx, vc);
    expect(bytesToHex(digest)).toBe(v.expected.toSignHash);

    const td = typedData(tx, vc);
    const expected = v.expected.typedData;
    expect(td.types).toEqual(expected.types);
    expect(td.primaryType).toBe(expected.primaryType);
    expect(td.domain).toEqual({
      ...expected.domain,
      verifyingContract: expected.domain.verifyingContract!.toLowerCase(),
    });
    expect(td.message).toEqual(lowercaseMessage(expected.message));
    // An independent EIP-712 implementation agrees that signing the object gives the same digest.
    const { EIP712Domain: _domain, ...types } = td.types;
    expect(TypedDataEncoder.hash(td.domain, types as never, td.message)).toBe(
      v.expected.toSignHash,
    );

    const sigs = signPayment(tx, v.input.signers, vc);
    expect(sigs).toEqual(v.expected.signatures);
    expect(sigs.map((s) => recoverSigner(digest, s))).toEqual(v.expected.signerAddresses);
  });

  it('refuses to sign the zero-amount quirk (omg-js signs a message that differs from the bytes)', () => {
    const quirk = vectors.payment.find((v) => v.quirk)!;
    const e = failure(() =>
      signPayment(txFromVector(quirk.input.tx), quirk.input.signers, quirk.input.verifyingContract),
    );
    expect(e.code).toBe('amount_cant_be_zero');
  });
});

describe('spec/vectors-public.md §5: struct hashes, digests and signatures of D1–D3, P1, P2', () => {
  const ALICE = '0x9c7fc8601655b4e1ef395107217e6ed600f7ba48' as Address;
  const BOB = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8' as Address;
  const CAROL = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc' as Address;
  const TOKEN = '0x0123456789abcdef000000000000000000000000' as Address;
  const txs: [string, PaymentTx][] = [
    ['D1', decodePayment(encodeDeposit(ALICE, ETH_TOKEN, 10n ** 18n))],
    ['D2', decodePayment(encodeDeposit(BOB, TOKEN, 500n))],
    ['D3', decodePayment(encodeDeposit(CAROL, ETH_TOKEN, 5n * 10n ** 17n))],
    ['P1', P1],
    ['P2', P2],
  ];
  it.each(txs)('%s', (name, tx) => {
    expect(structHash(tx)).toBe(mdValue(name, 'EIP-712 struct hash')[0]);
    expect(bytesToHex(signingDigest(tx, VC))).toBe(mdValue(name, 'digest with VC ')[0]);
    expect(bytesToHex(signingDigest(tx, VC2))).toBe(mdValue(name, 'digest with VC2')[0]);
  });

  it('P1 signed by alice and P2 by bob, alice, bob, carol, over both domains', () => {
    expect(signPayment(P1, [KEYS.alice], VC)).toEqual(
      mdValue('P1', 'signatures over the VC digest'),
    );
    expect(signPayment(P1, [KEYS.alice], VC2)).toEqual(
      mdValue('P1', 'signatures over the VC2 digest'),
    );
    const p2Keys = [KEYS.bob, KEYS.alice, KEYS.bob, KEYS.carol];
    expect(signPayment(P2, p2Keys, VC)).toEqual(mdValue('P2', 'signatures over the VC digest'));
    expect(signPayment(P2, p2Keys, VC2)).toEqual(mdValue('P2', 'signatures over the VC2 digest'));
  });
});

describe('elixir-omg known answers (vectors-public.md §11)', () => {
  const guard = '0x2258a5279850f6fb78888a7e45ea2a5eb1b3c436' as Address;
  const TOKEN = '0x0123456789abcdef000000000000000000000000' as Address;
  const o = (g: Address, t: Address, a: bigint) => ({
    outputType: 1n,
    outputGuard: g,
    token: t,
    amount: a,
  });
  const inputs = [
    1_000_000_000n,
    encodeUtxoPos({ blknum: 1000n, txindex: 2n, oindex: 3n }),
    encodeUtxoPos({ blknum: 101000n, txindex: 1337n, oindex: 3n }),
  ];
  const outputs = [
    o(guard, ETH_TOKEN, 100n),
    o(TOKEN, ETH_TOKEN, 111n),
    o(guard, TOKEN, 1337n),
    o(ETH_TOKEN, ETH_TOKEN, 0n),
  ];
  const md = '0x853a8d8af99c93405a791b97d57e819e538b06ffaa32ad70da2582500bc18d43' as Hex;
  const rows = [
    ...publicMd.matchAll(/^\| ([^|]+?) \| `(0x[0-9a-f]{64})` \| `(0x[0-9a-f]{64})` \|$/gm),
  ];
  const tx = (ins: bigint[], outs: typeof outputs, metadata: Hex = NULL_METADATA): PaymentTx => ({
    txType: 1n,
    inputs: ins,
    outputs: outs,
    txData: 0n,
    metadata,
  });
  const cases: PaymentTx[] = [
    tx([], []),
    tx(inputs, outputs),
    tx(inputs, outputs, md),
    tx(inputs, outputs.slice(0, 3)),
  ];

  it('parsed the four rows', () => expect(rows).toHaveLength(4));
  it.each(rows.map((r, i) => [r[1]!, i] as const))('%s', (_label, i) => {
    // Rows 0–2 cannot be encoded (no outputs / a zero output); structHash hashes them like elixir-omg does.
    expect(structHash(cases[i]!)).toBe(rows[i]![2]);
    expect(bytesToHex(signingDigest(cases[i]!, VC))).toBe(rows[i]![3]);
  });

  it('raw secp256k1 known answer', () => {
    const key = keccakHex(new TextEncoder().encode('11'));
    expect(key).toBe('0x7880aec93413f117ef14bd4e6d130875ab2c7d7d55a064fac3c2f7bd51516380');
    const digest = keccak(new TextEncoder().encode('1234'));
    const sig = signDigest(key, digest);
    expect(sig).toBe(
      '0xb8670d619701733e1b4d10149bc90eb4eb276760d2f77a08a5428d4cbf2eadbd656f374c187b1ac80ce31d8c62076af26150e52ef1f33bfc07c6d244da7ca38c1c',
    );
    expect(recoverSigner(digest, sig)).toBe('0xc4d178249d840f548b09ad8269e8a3165ce2c170');
  });
});

describe('signing and recovery under OpenZeppelin 2.3.0 rules', () => {
  const digest = signingDigest(P1, VC);
  const sig = signPayment(P1, [KEYS.alice], VC)[0]!;
  const bytes = hexToBytes(sig);

  function variant(change: (b: Uint8Array) => Uint8Array): Hex {
    return bytesToHex(change(bytes.slice()));
  }
  const highS = variant((b) => {
    const s = BigInt(bytesToHex(b.subarray(32, 64)));
    b.set(hexToBytes('0x' + (SECP256K1_N - s).toString(16).padStart(64, '0')), 32);
    b[64] = b[64] === 27 ? 28 : 27;
    return b;
  });

  it.each([
    ['s above n/2 (the malleable twin)', highS],
    ['v = 0', variant((b) => ((b[64] = b[64]! - 27), b))],
    ['v = 29', variant((b) => ((b[64] = 29), b))],
    ['64 bytes', variant((b) => b.subarray(0, 64))],
    ['66 bytes', variant((b) => new Uint8Array([...b, 0]))],
    ['r = 0', variant((b) => (b.fill(0, 0, 32), b))],
    ['not hex', 'nope' as Hex],
  ])('rejects %s with invalid_signature and the contract revert string', (_what, bad) => {
    const e = failure(() => recoverSigner(digest, bad));
    expect(e.code).toBe('invalid_signature');
    expect(e.revert).toBe(REVERT.SIG_UNRECOVERABLE);
  });

  it('signs low-s with v 27/28 and recovers the signer', () => {
    expect(recoverSigner(digest, sig)).toBe('0x9c7fc8601655b4e1ef395107217e6ed600f7ba48');
    expect([27, 28]).toContain(bytes[64]);
    expect(BigInt(bytesToHex(bytes.subarray(32, 64))) <= SECP256K1_N / 2n).toBe(true);
  });

  it('refuses bad keys and key counts', () => {
    expect(failure(() => signDigest('0x00' as Hex, digest)).code).toBe('invalid_private_key');
    expect(failure(() => signDigest(('0x' + '00'.repeat(32)) as Hex, digest)).code).toBe(
      'invalid_private_key',
    );
    expect(failure(() => signDigest(KEYS.alice, new Uint8Array(31))).code).toBe('invalid_argument');
    expect(failure(() => signPayment(P1, [], VC)).code).toBe('missing_signature');
    expect(failure(() => signPayment(P1, [KEYS.alice, KEYS.bob], VC)).code).toBe(
      'superfluous_signature',
    );
  });

  it('structHash refuses positions the contract cannot hash', () => {
    const bad = { ...P1, inputs: [(MAX_BLKNUM + 1n) * 1_000_000_000n] };
    expect(failure(() => structHash(bad)).revert).toBe(REVERT.POS_BLKNUM);
  });

  it('property: sign → recover gives the owner of every input, over random payments and keys', () => {
    fc.assert(
      fc.property(
        paymentArb.filter((tx) => tx.inputs.length > 0),
        fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => {
          const n = BigInt(bytesToHex(k));
          return n > 0n && n < SECP256K1_N;
        }),
        (tx, keyBytes) => {
          const key = bytesToHex(keyBytes);
          const sigs = signPayment(
            tx,
            tx.inputs.map(() => key),
            VC2,
          );
          const d = signingDigest(tx, VC2);
          for (const s of sigs) expect(recoverSigner(d, s)).toBe(computeAddress(key).toLowerCase());
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe.each<KeccakBackend>(['wasm', 'js'])(
  'queueSigningDigest: the digest from the bytes, in a batch (%s keccak)',
  (backend) => {
    /** The digests of `txs` as prepare.ts works them out: all in one batch, from the encoded bytes. */
    function batchDigests(txs: readonly PaymentTx[], contract: Address): Uint8Array[] {
      const separator = domainSeparatorBytes(contract);
      const encoded = txs.map((tx) => encodePayment(tx));
      const decoded = encoded.map((bytes) => decodePayment(bytes));
      const messages = encoded.reduce((n, b) => n + b.length, 0);
      const digestsAt = messages + DIGEST_SCRATCH_BYTES * txs.length;
      const hashes = decoded.reduce(
        (n, tx) => n + digestHashCount(tx.inputs.length, tx.outputs.length),
        0,
      );
      const batch = keccakBatch(digestsAt + 32 * txs.length, hashes);
      let at = 0;
      decoded.forEach((tx, i) => {
        batch.mem.set(encoded[i]!, at);
        queueSigningDigest(
          batch,
          separator,
          tx,
          at,
          encoded[i]!.length,
          messages + DIGEST_SCRATCH_BYTES * i,
          digestsAt + 32 * i,
        );
        at += encoded[i]!.length;
      });
      batch.run();
      return txs.map((_, i) => batch.mem.slice(digestsAt + 32 * i, digestsAt + 32 * i + 32));
    }

    it('equals signingDigest for the vectors P1 and P2 and a deposit', () => {
      setKeccakBackend(backend);
      try {
        const deposit = decodePayment(encodeDeposit(ALICE_VECTOR, ETH_TOKEN, 10n ** 18n));
        const txs = [P1, P2, deposit];
        expect(batchDigests(txs, VC2)).toEqual(txs.map((tx) => signingDigest(tx, VC2)));
      } finally {
        setKeccakBackend('wasm');
      }
    });

    it('property: equals signingDigest for random payments (any positions, amounts up to 2^256 − 1)', () => {
      setKeccakBackend(backend);
      try {
        fc.assert(
          fc.property(fc.array(paymentArb, { minLength: 1, maxLength: 6 }), (txs) => {
            const got = batchDigests(txs, VC2).map((d) => bytesToHex(d));
            expect(got).toEqual(txs.map((tx) => bytesToHex(signingDigest(tx, VC2))));
          }),
          { numRuns: backend === 'wasm' ? 300 : 60 },
        );
      } finally {
        setKeccakBackend('wasm');
      }
    });

    it('refuses bytes that are not those of the payment given, instead of hashing something else', () => {
      setKeccakBackend(backend);
      try {
        const bytes = encodePayment(P2);
        const batch = keccakBatch(bytes.length + DIGEST_SCRATCH_BYTES + 32, 16);
        batch.mem.set(bytes, 0);
        const fewer = { ...P2, outputs: P2.outputs.slice(1) };
        expect(() =>
          queueSigningDigest(
            batch,
            domainSeparatorBytes(VC2),
            fewer,
            0,
            bytes.length,
            bytes.length,
            bytes.length + DIGEST_SCRATCH_BYTES,
          ),
        ).toThrow(/not those of the payment given/);
      } finally {
        setKeccakBackend('wasm');
      }
    });
  },
);
