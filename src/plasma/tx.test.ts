import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlasmaError, REVERT, type PlasmaError } from './errors';
import { bytesToHex, hexToBytes, keccakHex } from './hex';
import { decodeUtxoPos, encodeUtxoPos, MAX_BLKNUM } from './position';
import { decodeRlp, encodeRlp, wrapList, type RlpItem } from './rlp';
import {
  decodeDeposit,
  decodePayment,
  decodeSigned,
  decodeSignedTransaction,
  decodeSignedWire,
  decodeTransaction,
  encodeDeposit,
  encodeFeeTx,
  encodePayment,
  encodeSigned,
  feeTxNonce,
  isDepositTx,
  txHash,
} from './tx';
import { ALICE, BOB, CAROL, out, P1, P2, paymentArb, pos, TOKEN } from './testing/fixtures';
import {
  ETH_TOKEN,
  NULL_METADATA,
  type Address,
  type FeeTx,
  type Hex,
  type PaymentTx,
} from './types';

// ------------------------------------------------------------------------------------------------
// Vectors

interface VInput {
  blknum: number | string;
  txindex: number;
  oindex: number;
}
interface VOutput {
  outputType: number;
  outputGuard: string;
  currency: string;
  amount: string | number;
}
interface VTx {
  txType: number;
  inputs: VInput[];
  outputs: VOutput[];
  txData: number;
  metadata: string;
}
interface PaymentVector {
  id: string;
  quirk?: string;
  input: { verifyingContract: Address; tx: VTx; signers: Hex[] };
  expected: Record<string, unknown> & {
    txBytes: Hex;
    txHash: Hex;
    decoded: VTx;
    signatures: Hex[];
    signedTxBytes: Hex;
    signedDecoded: VTx & { sigs: Hex[] };
    unsignedFromSigned: Hex;
    inputUtxoPos: string[];
  };
}
interface DepositVector {
  id: string;
  input: { owner: Address; amount: string; currency: Address; blknum: number };
  expected: {
    txBytes: Hex;
    txHash: Hex;
    decoded: { owner: string; amount: string; currency: string };
    decodedTx: VTx;
  };
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../shared/vectors/omgjs-v1-public.json', import.meta.url), 'utf8'),
) as { payment: PaymentVector[]; deposit: DepositVector[] };
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

/** Our decoded tx in the vectors' JSON shape. */
function txToVector(tx: PaymentTx): VTx {
  return {
    txType: Number(tx.txType),
    inputs: tx.inputs.map((pos) => {
      const p = decodeUtxoPos(pos);
      return { blknum: Number(p.blknum), txindex: Number(p.txindex), oindex: Number(p.oindex) };
    }),
    outputs: tx.outputs.map((o) => ({
      outputType: Number(o.outputType),
      outputGuard: o.outputGuard,
      currency: o.token,
      amount: o.amount.toString(),
    })),
    txData: Number(tx.txData),
    metadata: tx.metadata,
  };
}

function lowerAddresses(v: VTx): VTx {
  return {
    ...v,
    outputs: v.outputs.map((o) => ({
      ...o,
      outputGuard: o.outputGuard.toLowerCase(),
      currency: o.currency.toLowerCase(),
    })),
  };
}

function failure(f: () => unknown): PlasmaError {
  try {
    f();
  } catch (e) {
    if (isPlasmaError(e)) return e;
    throw new Error(`expected a PlasmaError, got ${String(e)}`);
  }
  throw new Error('expected a PlasmaError, nothing was thrown');
}

const payments = vectors.payment.filter((v) => !v.quirk);

// ------------------------------------------------------------------------------------------------

describe('payment vectors (omg-js 4.1.2-1.0.4), bit-exact', () => {
  it('has the cases the suite expects', () => {
    expect(payments.length).toBeGreaterThanOrEqual(32);
  });

  it.each(payments.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const tx = txFromVector(v.input.tx);
    const bytes = encodePayment(tx);
    expect(bytesToHex(bytes)).toBe(v.expected.txBytes);
    expect(txHash(bytes)).toBe(v.expected.txHash);

    const decoded = decodePayment(hexToBytes(v.expected.txBytes));
    expect(txToVector(decoded)).toEqual(lowerAddresses(v.expected.decoded));
    expect(decoded.inputs.map(String)).toEqual(v.expected.inputUtxoPos);
    expect(decodeTransaction(bytes)).toEqual({ kind: 'payment', tx: decoded });

    const signed = encodeSigned({ tx, sigs: v.expected.signatures });
    expect(bytesToHex(signed)).toBe(v.expected.signedTxBytes);
    const fromSigned = decodeSigned(hexToBytes(v.expected.signedTxBytes));
    const { sigs, ...rest } = v.expected.signedDecoded;
    expect(fromSigned.sigs).toEqual(sigs);
    expect(txToVector(fromSigned.tx)).toEqual(lowerAddresses(rest));
    expect(bytesToHex(fromSigned.txBytes)).toBe(v.expected.unsignedFromSigned);
  });
});

describe('deposit vectors, bit-exact', () => {
  it.each(vectors.deposit.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const bytes = encodeDeposit(v.input.owner, v.input.currency, BigInt(v.input.amount));
    expect(bytesToHex(bytes)).toBe(v.expected.txBytes);
    expect(txHash(bytes)).toBe(v.expected.txHash);
    const d = decodeDeposit(bytes);
    expect({ owner: d.owner, amount: d.amount.toString(), currency: d.token }).toEqual(
      v.expected.decoded,
    );
    expect(txToVector(decodePayment(bytes))).toEqual(lowerAddresses(v.expected.decodedTx));
    expect(isDepositTx(bytes)).toBe(true);
  });
});

// ------------------------------------------------------------------------------------------------
// spec/vectors-public.md §5 (D1–D3, P1, P2) and §11 (the elixir-omg encodable row)

function mdValue(section: string, label: string): Hex {
  const start = publicMd.indexOf(`### ${section}\n`);
  const next = publicMd.slice(start + 5).search(/\n##/);
  const body = publicMd.slice(start, start + 5 + next);
  const line = body.split('\n').find((l) => l.startsWith(`- ${label}`));
  const m = line?.match(/`(0x[0-9a-f]+)`/);
  if (!m) throw new Error(`no ${label} in ${section}`);
  return m[1] as Hex;
}

describe('spec/vectors-public.md transactions', () => {
  it.each([
    ['D1', encodeDeposit(ALICE, ETH_TOKEN, 1000000000000000000n)],
    ['D2', encodeDeposit(BOB, TOKEN, 500n)],
    ['D3', encodeDeposit(CAROL, ETH_TOKEN, 500000000000000000n)],
    ['P1', encodePayment(P1)],
    ['P2', encodePayment(P2)],
  ] as const)('%s bytes and txHash', (name, bytes) => {
    expect(bytesToHex(bytes)).toBe(mdValue(name, 'bytes'));
    expect(txHash(bytes)).toBe(mdValue(name, 'txHash'));
    expect(encodePayment(decodePayment(bytes))).toEqual(bytes);
  });

  it('P1 and P2 signed forms (VC and VC2) decode to the unsigned bytes and signatures', () => {
    for (const [name, tx] of [
      ['P1', P1],
      ['P2', P2],
    ] as const) {
      for (const which of ['VC', 'VC2']) {
        const signedHex = mdValue(name, `signed tx, ${which} `);
        const decoded = decodeSigned(hexToBytes(signedHex));
        expect(decoded.tx).toEqual(decodePayment(encodePayment(tx)));
        expect(decoded.txBytes).toEqual(encodePayment(tx));
        expect(bytesToHex(encodeSigned({ tx, sigs: decoded.sigs }))).toBe(signedHex);
      }
    }
  });

  it('the encodable elixir-omg known-answer tx (§11)', () => {
    const tx: PaymentTx = {
      txType: 1n,
      inputs: [pos(1n), pos(1000n, 2n, 3n), pos(101000n, 1337n, 3n)],
      outputs: [
        out('0x2258a5279850f6fb78888a7e45ea2a5eb1b3c436', ETH_TOKEN, 100n),
        out(TOKEN, ETH_TOKEN, 111n),
        out('0x2258a5279850f6fb78888a7e45ea2a5eb1b3c436', TOKEN, 1337n),
      ],
      txData: 0n,
      metadata: NULL_METADATA,
    };
    const expected = publicMd.match(/RLP of the last row \[I\]: `(0x[0-9a-f]+)`/)![1];
    expect(bytesToHex(encodePayment(tx))).toBe(expected);
  });
});

// ------------------------------------------------------------------------------------------------
// spec/vectors-public.md §12: every byte string the v1.0.5 decoder rejects.

const ATOM_BY_CASE: Record<string, string> = {
  '4 top-level items': 'malformed_transaction',
  'signed 6-item form given as raw tx': 'malformed_transaction',
  'txType 0 (0x80)': 'unrecognized_transaction_type',
  'txType written as byte 0x00': 'leading_zeros_in_encoded_uint',
  'txType is a list': 'malformed_transaction',
  '5 inputs': 'too_many_inputs',
  'inputs is a string, not a list': 'malformed_inputs',
  'input of 31 bytes': 'malformed_inputs',
  'input all zero (null input)': 'malformed_inputs',
  '0 outputs': 'empty_outputs',
  '5 outputs': 'too_many_outputs',
  'output with 3 items': 'malformed_outputs',
  'output data with 2 items': 'malformed_outputs',
  'outputType 0': 'unrecognized_output_type',
  'amount 0': 'amount_cant_be_zero',
  'outputGuard zero address': 'output_guard_cant_be_zero',
  'token as empty string (0x80)': 'malformed_address',
  'amount with leading zero byte': 'leading_zeros_in_encoded_uint',
  'amount 33 bytes': 'encoded_uint_too_big',
  'txData 1': 'malformed_tx_data',
  'metadata empty (0x80)': 'malformed_metadata',
  'metadata 31 bytes': 'malformed_metadata',
  'one trailing byte after the list': 'malformed_transaction_rlp',
  'not a list (0x80)': 'malformed_transaction',
  'empty byte string': 'malformed_transaction_rlp',
  'amount 0x64 written as 0x81 0x64': 'malformed_transaction_rlp',
  'metadata with long-string header 0xb820': 'malformed_transaction_rlp',
  'inner item overruns its list (c2 82 01)': 'malformed_transaction_rlp',
  'metadata long-string length with leading zero (b9 00 20)': 'malformed_transaction_rlp',
  'top-level long-list header for a 3-byte payload (f8 03)': 'malformed_transaction_rlp',
  'top-level long-list length with leading zero (f9 00 03)': 'malformed_transaction_rlp',
};

const rejectionRows = (() => {
  const section = publicMd.slice(publicMd.indexOf('## 12.'), publicMd.indexOf('## 13.'));
  return section
    .split('\n')
    .map((line) => line.match(/^\| (.+?) \| `(0x[0-9a-f]*)(?: \(empty\))?` \| (.+) \|$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ name: m[1]!, hex: m[2]!, result: m[3]!.replace(/`/g, '') }));
})();

describe('spec/vectors-public.md §12: rejected by the decoder with the contract revert string', () => {
  it('parsed every row of the table', () => {
    expect(rejectionRows).toHaveLength(33);
    for (const row of rejectionRows)
      if (row.result !== 'accepted') expect(ATOM_BY_CASE[row.name]).toBeDefined();
  });

  it.each(rejectionRows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const bytes = hexToBytes(row.hex);
    if (row.result === 'accepted') {
      const tx = decodePayment(bytes);
      expect(encodePayment(tx)).toEqual(bytes);
      return;
    }
    for (const decode of [decodePayment, decodeTransaction]) {
      const e = failure(() => decode(bytes));
      expect(e.revert).toBe(row.result);
      expect(e.code).toBe(ATOM_BY_CASE[row.name]);
      expect(e.message.length).toBeGreaterThan(10);
    }
  });
});

// ------------------------------------------------------------------------------------------------

const VALID = P1;

describe('encoder refuses what the chain would reject (omg-js quirks included)', () => {
  it('rejects the zero-amount quirk vector instead of dropping the output', () => {
    const quirk = vectors.payment.find((v) => v.id === 'payment-quirk-zero-amount')!;
    expect(quirk.quirk).toBeTruthy();
    const e = failure(() => encodePayment(txFromVector(quirk.input.tx)));
    expect(e.code).toBe('amount_cant_be_zero');
  });

  it.each([
    [
      'a fifth input (omg-js cuts it silently)',
      { inputs: [1n, 2n, 3n, 4n, 5n].map((b) => pos(b)) },
      'too_many_inputs',
    ],
    [
      'five outputs',
      { outputs: Array.from({ length: 5 }, () => out(BOB, ETH_TOKEN, 1n)) },
      'too_many_outputs',
    ],
    ['no outputs', { outputs: [] }, 'empty_outputs'],
    ['a zero owner', { outputs: [out(ETH_TOKEN, ETH_TOKEN, 1n)] }, 'output_guard_cant_be_zero'],
    ['a zero amount', { outputs: [out(BOB, ETH_TOKEN, 0n)] }, 'amount_cant_be_zero'],
    ['a negative amount', { outputs: [out(BOB, ETH_TOKEN, -1n)] }, 'invalid_amount'],
    ['an amount of 2^256', { outputs: [out(BOB, ETH_TOKEN, 1n << 256n)] }, 'encoded_uint_too_big'],
    [
      'a bad owner address',
      { outputs: [out('0x1234' as Address, ETH_TOKEN, 1n)] },
      'malformed_address',
    ],
    [
      'a wrong EIP-55 checksum',
      { outputs: [out('0x70997970C51812dc3A010C7d01b50e0d17dc79C9' as Address, ETH_TOKEN, 1n)] },
      'malformed_address',
    ],
    [
      'output type 2',
      { outputs: [{ ...out(BOB, ETH_TOKEN, 1n), outputType: 2n }] },
      'unrecognized_output_type',
    ],
    ['tx type 3', { txType: 3n }, 'unrecognized_transaction_type'],
    ['txData 1', { txData: 1n }, 'malformed_tx_data'],
    ['31-byte metadata', { metadata: ('0x' + '00'.repeat(31)) as Hex }, 'malformed_metadata'],
    ['text metadata', { metadata: 'hello' as Hex }, 'malformed_metadata'],
    ['a null input', { inputs: [0n] }, 'malformed_inputs'],
    ['duplicate inputs', { inputs: [pos(1n), pos(1n)] }, 'duplicate_inputs'],
    [
      'an input beyond the largest block',
      { inputs: [(MAX_BLKNUM + 1n) * 1_000_000_000n] },
      'invalid_position',
    ],
    [
      'an input with txindex 65536',
      { inputs: [1_000_000_000n + 65536n * 10_000n] },
      'invalid_position',
    ],
    ['a number as input', { inputs: [1000000000 as unknown as bigint] }, 'malformed_inputs'],
  ] as const)('refuses %s', (_what, change, code) => {
    const e = failure(() => encodePayment({ ...VALID, ...change } as PaymentTx));
    expect(e.code).toBe(code);
  });

  it('accepts checksummed and upper-case addresses and writes them lowercase', () => {
    const tx = {
      ...VALID,
      outputs: [out('0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as Address, ETH_TOKEN, 5n)],
    };
    expect(decodePayment(encodePayment(tx)).outputs[0]!.outputGuard).toBe(BOB);
  });
});

describe('decoder off-chain rules (§3.8): no revert string, the Watcher atom', () => {
  const base = (): RlpItem[] => [
    new Uint8Array([1]),
    [hexToBytes('0x' + 1_000_000_000n.toString(16).padStart(64, '0'))],
    [[new Uint8Array([1]), [hexToBytes(BOB), new Uint8Array(20), new Uint8Array([100])]]],
    new Uint8Array(0),
    new Uint8Array(32),
  ];
  it('the hand-built base is the public control tx', () => {
    expect(bytesToHex(encodeRlp(base()))).toBe(rejectionRows[0]!.hex);
  });
  it('rejects tx type 2 (accepted by the contract decoder)', () => {
    const items = base();
    items[0] = new Uint8Array([2]);
    const e = failure(() => decodePayment(encodeRlp(items)));
    expect([e.code, e.revert]).toEqual(['unrecognized_transaction_type', undefined]);
  });
  it('rejects output type 2 in a payment', () => {
    const items = base();
    (items[2] as RlpItem[][])[0]![0] = new Uint8Array([2]);
    const e = failure(() => decodePayment(encodeRlp(items)));
    expect([e.code, e.revert]).toEqual(['unrecognized_output_type', undefined]);
  });
  it('rejects duplicate inputs', () => {
    const items = base();
    const input = (items[1] as Uint8Array[])[0]!;
    items[1] = [input, input];
    expect(failure(() => decodePayment(encodeRlp(items))).code).toBe('duplicate_inputs');
  });
  it('rejects an input position the contracts cannot decode, with their revert string', () => {
    const items = base();
    items[1] = [
      hexToBytes('0x' + (1_000_000_000n + 70000n * 10_000n).toString(16).padStart(64, '0')),
    ];
    const e = failure(() => decodePayment(encodeRlp(items)));
    expect([e.code, e.revert]).toEqual(['malformed_inputs', REVERT.POS_TXINDEX]);
  });
  it('an input that is a 32-byte list is "Item must not be a list"', () => {
    const items = base();
    items[1] = [[new Uint8Array(31).fill(1)]];
    const e = failure(() => decodePayment(encodeRlp(items)));
    expect([e.code, e.revert]).toEqual(['malformed_inputs', REVERT.F2]);
  });
  it('reports non-canonical RLP anywhere as malformed_transaction_rlp, keeping the contract revert', () => {
    // Five inputs (F11 for the contract) and the amount written as 81 64 deeper in, which the
    // contract only reaches later; the Watcher RLP-decodes everything first.
    const cat = (...parts: Uint8Array[]) => wrapList(new Uint8Array(parts.flatMap((p) => [...p])));
    const data = cat(
      encodeRlp(hexToBytes(BOB)),
      encodeRlp(new Uint8Array(20)),
      hexToBytes('0x8164'),
    );
    const inputs = encodeRlp(
      [1n, 2n, 3n, 4n, 5n].map((b) => hexToBytes('0x' + pos(b).toString(16).padStart(64, '0'))),
    );
    const bytes = cat(
      hexToBytes('0x01'),
      inputs,
      cat(cat(hexToBytes('0x01'), data)),
      hexToBytes('0x80'),
      encodeRlp(new Uint8Array(32)),
    );
    const e = failure(() => decodePayment(bytes));
    expect(e.code).toBe('malformed_transaction_rlp');
    expect(e.revert).toBe(REVERT.F11);
  });
});

// ------------------------------------------------------------------------------------------------

const FEE: FeeTx = {
  txType: 3n,
  output: { outputType: 2n, outputGuard: ALICE, token: ETH_TOKEN, amount: 12345n },
  nonce: feeTxNonce(1000n, ETH_TOKEN),
  metadata: NULL_METADATA,
};

describe('fee transactions (§3.6)', () => {
  it('nonce = keccak(word(blknum) ‖ addrWord(token))', () => {
    const buf = new Uint8Array(64);
    buf[30] = 0x03;
    buf[31] = 0xe8;
    buf.set(hexToBytes(TOKEN), 44);
    expect(feeTxNonce(1000n, TOKEN)).toBe(keccakHex(buf));
  });

  it('encodes the five-item contract form by default and decodes both forms', () => {
    const contract = encodeFeeTx(FEE);
    expect(decodeTransaction(contract)).toEqual({ kind: 'fee', tx: FEE, form: 'contract' });
    expect(bytesToHex(contract).slice(0, 10)).toMatch(/^0xf8..03c0$/);
    const elixir = encodeFeeTx(FEE, 'elixir');
    expect(decodeTransaction(elixir)).toEqual({ kind: 'fee', tx: FEE, form: 'elixir' });
    // The payment decoder follows the contract: the nonce in the txData slot fails F20 first.
    expect(failure(() => decodePayment(contract)).revert).toBe(REVERT.F20);
    expect(failure(() => decodePayment(elixir)).revert).toBe(REVERT.F1);
  });

  it('decodes both signed forms: [[], 3, outputs, nonce] and [[], 3, [], outputs, nonce, metadata]', () => {
    for (const [form, bytes] of [
      ['contract', encodeFeeTx(FEE)],
      ['elixir', encodeFeeTx(FEE, 'elixir')],
    ] as const) {
      const signed = encodeRlp([[], ...decodeRlpList(bytes)]);
      const d = decodeSignedTransaction(signed);
      expect(d).toEqual({ kind: 'fee', tx: FEE, form, sigs: [], txBytes: bytes });
      expect(failure(() => decodeSigned(signed)).code).toBe('unrecognized_transaction_type');
      const withSig = encodeRlp([[new Uint8Array(65)], ...decodeRlpList(bytes)]);
      expect(failure(() => decodeSignedTransaction(withSig)).code).toBe('superfluous_signature');
    }
  });

  it.each([
    [
      'two outputs',
      (i: RlpItem[]): void => {
        i[2] = [(i[2] as RlpItem[])[0]!, (i[2] as RlpItem[])[0]!];
      },
      'wrong_number_of_fee_outputs',
    ],
    [
      'a payment output',
      (i: RlpItem[]): void => {
        (i[2] as RlpItem[][])[0]![0] = new Uint8Array([1]);
      },
      'tx_cannot_create_output_type',
    ],
    [
      'amount 0',
      (i: RlpItem[]): void => {
        ((i[2] as RlpItem[][])[0]![1] as RlpItem[])[2] = new Uint8Array(0);
      },
      'fee_output_amount_has_to_be_positive',
    ],
    [
      'a 31-byte nonce',
      (i: RlpItem[]): void => {
        i[3] = new Uint8Array(31);
      },
      'malformed_nonce',
    ],
    [
      'an input',
      (i: RlpItem[]): void => {
        i[1] = [new Uint8Array(32).fill(1)];
      },
      'malformed_inputs',
    ],
  ] as const)('rejects a fee tx with %s', (_what, mutate, code) => {
    const items = decodeRlpList(encodeFeeTx(FEE));
    mutate(items);
    expect(failure(() => decodeTransaction(encodeRlp(items))).code).toBe(code);
  });

  it('the encoder refuses a zero fee and a non-fee output', () => {
    expect(failure(() => encodeFeeTx({ ...FEE, output: { ...FEE.output, amount: 0n } })).code).toBe(
      'fee_output_amount_has_to_be_positive',
    );
    expect(
      failure(() => encodeFeeTx({ ...FEE, output: { ...FEE.output, outputType: 1n } })).code,
    ).toBe('tx_cannot_create_output_type');
    expect(failure(() => encodeFeeTx({ ...FEE, nonce: '0x00' })).code).toBe('malformed_nonce');
  });
});

/** The items of an encoded list, copied so that mutating them never touches the input. */
function decodeRlpList(bytes: Uint8Array): RlpItem[] {
  return structuredClone(decodeRlp(bytes)) as RlpItem[];
}

describe('signed wire form (§3.4)', () => {
  const sig = ('0x' + '11'.repeat(64) + '1b') as Hex;
  const signed = encodeSigned({ tx: P1, sigs: [sig] });

  it('cuts the unsigned bytes out of the signed ones', () => {
    const d = decodeSigned(signed);
    expect(d.txBytes).toEqual(encodePayment(P1));
    expect(d.sigs).toEqual([sig]);
  });

  it('decodeSignedWire gives the same transaction with the signatures as views into the input', () => {
    const sigs = [sig, ('0x' + '22'.repeat(64) + '1c') as Hex];
    const tx = { ...P1, inputs: [P1.inputs[0]!, pos(1000n, 3n, 1n)] };
    const bytes = encodeSigned({ tx, sigs });
    const wire = decodeSignedWire(bytes);
    const hex = decodeSignedTransaction(bytes);
    expect(wire.kind).toBe('payment');
    expect(wire.tx).toEqual(hex.tx);
    expect(wire.txBytes).toEqual(hex.txBytes);
    expect(wire.sigs.map((s) => bytesToHex(s))).toEqual(sigs);
    expect(wire.sigs.every((s) => s.buffer === bytes.buffer && s.length === 65)).toBe(true);
  });

  it.each([
    ['an unsigned tx', () => encodePayment(P1), 'malformed_transaction'],
    [
      'a signature of 64 bytes',
      () => encodeRlp([[new Uint8Array(64)], ...decodeRlpList(encodePayment(P1))]),
      'malformed_witnesses',
    ],
    [
      'a signature that is a list',
      () => encodeRlp([[[]], ...decodeRlpList(encodePayment(P1))]),
      'malformed_witnesses',
    ],
    [
      'signatures that are not a list',
      () => encodeRlp([new Uint8Array(65), ...decodeRlpList(encodePayment(P1))]),
      'malformed_transaction',
    ],
    [
      'no signature',
      () => encodeRlp([[], ...decodeRlpList(encodePayment(P1))]),
      'missing_signature',
    ],
    [
      'two signatures for one input',
      () =>
        encodeRlp([[new Uint8Array(65), new Uint8Array(65)], ...decodeRlpList(encodePayment(P1))]),
      'superfluous_signature',
    ],
  ] as const)('rejects %s', (_what, make, code) => {
    expect(failure(() => decodeSigned(make())).code).toBe(code);
  });

  it('encodeSigned checks the signatures against the inputs', () => {
    expect(failure(() => encodeSigned({ tx: P1, sigs: [] })).code).toBe('missing_signature');
    expect(failure(() => encodeSigned({ tx: P1, sigs: [sig, sig] })).code).toBe(
      'superfluous_signature',
    );
    expect(failure(() => encodeSigned({ tx: P1, sigs: ['0x1234'] })).code).toBe(
      'malformed_witnesses',
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Properties

function decodesCanonically(bytes: Uint8Array, signed: boolean): void {
  try {
    if (signed) {
      const d = decodeSignedTransaction(bytes);
      const reencoded =
        d.kind === 'payment'
          ? encodeSigned({ tx: d.tx, sigs: d.sigs })
          : encodeRlp([[], ...decodeRlpList(encodeFeeTx(d.tx, d.form))]);
      expect(reencoded).toEqual(bytes);
    } else {
      const d = decodeTransaction(bytes);
      expect(d.kind === 'payment' ? encodePayment(d.tx) : encodeFeeTx(d.tx, d.form)).toEqual(bytes);
    }
  } catch (e) {
    if (!isPlasmaError(e)) throw e;
  }
}

describe('properties', () => {
  it('encode → decode round-trips random valid payments', () => {
    fc.assert(
      fc.property(paymentArb, (tx) => {
        const bytes = encodePayment(tx);
        const back = decodePayment(bytes);
        expect(back).toEqual(tx);
        expect(encodePayment(back)).toEqual(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it('signed encode → decode round-trips, and txBytes are the unsigned encoding', () => {
    fc.assert(
      fc.property(paymentArb, fc.uint8Array({ minLength: 65, maxLength: 65 }), (tx, sig) => {
        const sigs = tx.inputs.map(() => bytesToHex(sig));
        const d = decodeSigned(encodeSigned({ tx, sigs }));
        expect(d.tx).toEqual(tx);
        expect(d.sigs).toEqual(sigs);
        expect(d.txBytes).toEqual(encodePayment(tx));
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes: only PlasmaError, never a non-canonical acceptance', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        decodesCanonically(bytes, false);
        decodesCanonically(bytes, true);
        for (const f of [decodePayment, decodeSigned, decodeDeposit]) {
          try {
            f(bytes);
          } catch (e) {
            expect(isPlasmaError(e)).toBe(true);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('every single-byte mutation, truncation and extension of valid txs', () => {
    fc.assert(
      fc.property(paymentArb, fc.uint8Array({ minLength: 1, maxLength: 1 }), (tx, [value]) => {
        const sigs = tx.inputs.map(() => ('0x' + 'ab'.repeat(64) + '1c') as Hex);
        for (const [bytes, signed] of [
          [encodePayment(tx), false],
          [encodeSigned({ tx, sigs }), true],
        ] as const) {
          for (let i = 0; i < bytes.length; i++) {
            const m = bytes.slice();
            m[i] = value === bytes[i] ? value! ^ 0xff : value!;
            decodesCanonically(m, signed);
            const xor = bytes.slice();
            xor[i]! ^= 1;
            decodesCanonically(xor, signed);
            decodesCanonically(bytes.subarray(0, i), signed);
          }
          const longer = new Uint8Array(bytes.length + 1);
          longer.set(bytes);
          longer[bytes.length] = value!;
          decodesCanonically(longer, signed);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('mutations of fee transactions in both forms', () => {
    for (const bytes of [encodeFeeTx(FEE), encodeFeeTx(FEE, 'elixir')]) {
      for (let i = 0; i < bytes.length; i++) {
        for (const v of [0x00, 0x01, 0x02, 0x03, 0x7f, 0x80, 0x81, 0xb8, 0xc0, 0xf8, 0xff]) {
          const m = bytes.slice();
          m[i] = v;
          decodesCanonically(m, false);
        }
        decodesCanonically(bytes.subarray(0, i), false);
      }
    }
  });
});
