import { readFileSync } from 'node:fs';
import { keccak_256 } from '@noble/hashes/sha3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlasmaError } from './errors';
import { bytesToHex, hexToBytes } from './hex';
import {
  MERKLE_HEIGHT,
  MERKLE_REVERT,
  ZERO_HASHES,
  allProofs,
  depositBlockRoot,
  depositProof,
  inclusionProof,
  leafHash,
  leafHashesInto,
  merkleRoot,
  rootOfLevel,
  minimalHeight,
  nodeHash,
  verifyInclusion,
} from './merkle';
import { keccak256 as treeKeccak } from './keccak';

const vectors = JSON.parse(
  readFileSync(new URL('../../../shared/vectors/omgjs-v1-public.json', import.meta.url), 'utf8'),
) as {
  merkle: {
    id: string;
    input: { height?: number; leaves: string[] };
    expected: { height: number; root: string; proofs: string[] };
  }[];
};

const Z = [
  '0xf39a869f62e75cf5f0bf914688a6b289caf2049435d8e68c5c5e6d05e44913f3',
  '0x4ed5c02d6d48c8932486c99d3ad999e5d8949dc3be3b3058cc2979690c3e3a62',
  '0x1c792b14bf66f82af36f00f5fba7014fa0c1e2ff3c7c273bfe523c1acf67dc3f',
  '0x5fa080a686a5a0d05c3d4822fd54d632dc9cc04b1616046eba2ce499eb9af79f',
  '0x5eb949690a0404abf4cebafc7cfffa382191b7dd9e7df778581e6fb78efab35f',
  '0xd364c9d5dadad4569b6dd47f7feabafa3571f842434425548335ac6e690dd071',
  '0x68d8bc5b77979c1a6702334f529f5783f79e942fd2cd03f6e55ac2cf496e849f',
  '0xde9c446fab46a8d27db1e3100f275a777d385b44e3cbc045cabac9da36cae040',
  '0xad516082324c96127cf29f4535eb5b7ebacfe2a1d6d3aab8ec0483d32079a859',
  '0xff70f9215970a8beebb1c164c474e82438174c8eeb6fbc8cb4594b88c9448f1d',
  '0x40b09beaecac5b45db6e41434a122b695c5a85862d8eae40b3268f6f37e41433',
  '0x7be38eba7ab5bbf303d01f4b7ae07fd73edc2f3be05e43948a34418a3272509c',
  '0x43c2811a821e5c982ba51874ac7dc9dd79a80cc2f05f6f664c9dbb2e45443513',
  '0x7da06ce44de45532a56a3a7007a2d0c6b435f726f95104bfa6e707046fc154ba',
  '0xe91898d03a1a0ac6f9b45e471646e2555ac79e3fe87eb1781e26f20500240c37',
  '0x9274fe91096e60d1545a8045571fdab9b530d0d6e7e8746e78bf9f20f4e86f06',
  '0xf609befdfe9066fe14e743b3623eae878fbc468005608816832c9d460f2a95d2',
];

// vectors-public.md §5–§6
const D1 = hexToBytes(
  '0xf85b01c0f6f501f3949c7fc8601655b4e1ef395107217e6ed600f7ba48940000000000000000000000000000000000000000880de0b6b3a764000080a00000000000000000000000000000000000000000000000000000000000000000',
);
const P1 = hexToBytes(
  '0xf8b301e1a0000000000000000000000000000000000000000000000000000000003b9aca00f86cf501f39470997970c51812dc3a010c7d01b50e0d17dc79c894000000000000000000000000000000000000000088058d15e176280000f501f3949c7fc8601655b4e1ef395107217e6ed600f7ba4894000000000000000000000000000000000000000088085013538c75800080a00000000000000000000000000000000000000000000000000000000000000000',
);
const P2 = hexToBytes(
  '0xf9017501f884a0000000000000000000000000000000000000000000000000000000e8d4a51000a0000000000000000000000000000000000000000000000000000000e8d4a51001a00000000000000000000000000000000000000000000000000000000077359400a000000000000000000000000000000000000000000000000000000000b2d05e00f8caf501f3943c44cdddb6a900fa2b585dd299e03d12fa4293bc940000000000000000000000000000000000000000880429d069189e0000ee01ec9470997970c51812dc3a010c7d01b50e0d17dc79c8940123456789abcdef00000000000000000000000081faf501f3949c7fc8601655b4e1ef395107217e6ed600f7ba48940000000000000000000000000000000000000000880853a0d2313c0000ee01ec9470997970c51812dc3a010c7d01b50e0d17dc79c8940123456789abcdef00000000000000000000000081fa80a0217a1ebbb9834c507bc3cf6bca6e98005aa44ba81572f89a922b83ed3215f122',
);

function expectRevert(fn: () => unknown, revert: string): void {
  try {
    fn();
  } catch (e) {
    expect(isPlasmaError(e)).toBe(true);
    if (isPlasmaError(e)) {
      expect(e.revert).toBe(revert);
      expect(e.message.startsWith(revert)).toBe(true);
    }
    return;
  }
  throw new Error(`expected a revert "${revert}"`);
}

describe('keccak (keccak.ts, used by the tree and every hash of the library)', () => {
  it('equals @noble/hashes keccak_256 for every length across block boundaries', () => {
    for (let len = 0; len <= 700; len++) {
      const data = Uint8Array.from({ length: len }, (_, i) => (i * 31 + len) & 0xff);
      expect(bytesToHex(treeKeccak(data))).toBe(bytesToHex(keccak_256(data)));
    }
  });

  it('equals keccak_256 on random inputs, and node/leaf hashes match their definitions', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (data, r) => {
          expect(bytesToHex(treeKeccak(data))).toBe(bytesToHex(keccak_256(data)));
          const withPrefix = new Uint8Array(data.length + 1);
          withPrefix.set(data, 1);
          expect(bytesToHex(leafHash(data))).toBe(bytesToHex(keccak_256(withPrefix)));
          const l = keccak_256(data);
          const node = new Uint8Array(65);
          node[0] = 1;
          node.set(l, 1);
          node.set(r, 33);
          expect(bytesToHex(nodeHash(l, r))).toBe(bytesToHex(keccak_256(node)));
          // the tree's word-level node path agrees with the byte path
          expect(bytesToHex(merkleRoot([data], 1))).toBe(
            bytesToHex(nodeHash(leafHash(data), ZERO_HASHES[0]!)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('Merkle constants and public vectors', () => {
  it('has z0 … z16 of protocol.md §6.1', () => {
    expect(MERKLE_HEIGHT).toBe(16);
    expect(ZERO_HASHES.map((z) => bytesToHex(z))).toEqual(Z);
    expect(bytesToHex(merkleRoot([]))).toBe(Z[16]);
  });

  for (const c of vectors.merkle) {
    it(`reproduces ${c.id} bit-exact`, () => {
      const txs = c.input.leaves.map((l) => hexToBytes(l));
      const height = c.input.height ?? minimalHeight(txs.length);
      expect(height).toBe(c.expected.height);
      const { root, proofs } = allProofs(txs, height);
      expect(bytesToHex(root)).toBe(c.expected.root);
      expect(bytesToHex(merkleRoot(txs, height))).toBe(c.expected.root);
      expect(proofs.map((p) => bytesToHex(p))).toEqual(c.expected.proofs);
      txs.forEach((tx, i) => {
        expect(bytesToHex(inclusionProof(txs, i, height))).toBe(c.expected.proofs[i]);
        expect(verifyInclusion(tx, i, root, proofs[i]!)).toBe(true);
      });
    });
  }

  it('reproduces block 1000 = [P1, P2] and the elixir-omg abc/def/ghi root', () => {
    const { root, proofs } = allProofs([P1, P2]);
    expect(bytesToHex(leafHash(P1))).toBe(
      '0xc844733c1b5875aa1fecb99e53c9398e092700c5bc76bcf58bad0ce38b7bbde2',
    );
    expect(bytesToHex(leafHash(P2))).toBe(
      '0xfceadfa1ecf7971acbab587b930b7ad809b6d24363a20219df7b3db329b6faf3',
    );
    expect(bytesToHex(root)).toBe(
      '0xf1f6ac1cf875ae52f667cccd4881f4df3c222835a5111e0a2465fbcb3a1ede61',
    );
    expect(bytesToHex(proofs[0]!)).toBe(
      '0x' + [bytesToHex(leafHash(P2)), ...Z.slice(1, 16)].map((h) => h.slice(2)).join(''),
    );
    expect(verifyInclusion(P2, 1, root, proofs[1]!)).toBe(true);
    // checking P2's proof at index 0 instead of 1 returns false [E]
    expect(verifyInclusion(P2, 0, root, proofs[1]!)).toBe(false);
    const abc = ['abc', 'def', 'ghi'].map((s) => new TextEncoder().encode(s));
    expect(bytesToHex(merkleRoot(abc))).toBe(
      '0x2060aa204dd8b8cc723a8abf2ce20e982d0acbd4f95bdbfaca435495b5ad5dc6',
    );
  });

  it('builds deposit roots and the deposit proof (§6.4)', () => {
    expect(bytesToHex(leafHash(D1))).toBe(
      '0xf3a43a405a15359565eec37188f45144b1db1b3ff593c1415ff9dce1132292ec',
    );
    expect(bytesToHex(depositBlockRoot(D1))).toBe(
      '0x9db57c542bfe02d508a16466a10cfb86535bf71424ee581aa0bc6c5d143892a2',
    );
    expect(bytesToHex(depositProof())).toBe(
      '0x' +
        Z.slice(0, 16)
          .map((h) => h.slice(2))
          .join(''),
    );
    expect(verifyInclusion(D1, 0n, depositBlockRoot(D1), depositProof())).toBe(true);
  });
});

describe('a root from aligned pieces (how the block validator spreads the work)', () => {
  it('equals merkleRoot for any count and piece size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 9, max: 12 }),
        (count, pieceLog, height) => {
          const txs = Array.from(
            { length: count },
            (_, i) => new Uint8Array([i & 0xff, i >> 8, 7]),
          );
          const leaves = new Uint8Array(32 * count);
          // Leaves in two calls, as slices arrive.
          const half = count >> 1;
          leafHashesInto(txs.slice(0, half), leaves);
          leafHashesInto(txs.slice(half), leaves, half);
          const piece = 2 ** pieceLog;
          const pieces = Math.ceil(count / piece);
          const roots = new Uint8Array(32 * pieces);
          for (let k = 0; k < pieces; k++) {
            const n = Math.min(piece, count - k * piece);
            roots.set(
              rootOfLevel(leaves.subarray(32 * k * piece, 32 * (k * piece + n)), n, 0, pieceLog),
              32 * k,
            );
          }
          const expected = bytesToHex(merkleRoot(txs, height));
          expect(bytesToHex(rootOfLevel(leaves, count, 0, height))).toBe(expected);
          expect(bytesToHex(rootOfLevel(roots, pieces, pieceLog, height))).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('verifyInclusion mirrors the contract', () => {
  const root = merkleRoot([P1]);
  it('reverts on an empty proof, a ragged proof and an index beyond the proof', () => {
    expectRevert(() => verifyInclusion(P1, 0, root, new Uint8Array(0)), MERKLE_REVERT.EMPTY);
    expectRevert(() => verifyInclusion(P1, 0, root, new Uint8Array(33)), MERKLE_REVERT.LENGTH);
    expectRevert(() => verifyInclusion(P1, 2, root, new Uint8Array(32)), MERKLE_REVERT.INDEX);
    expectRevert(() => verifyInclusion(P1, 1n << 16n, root, depositProof()), MERKLE_REVERT.INDEX);
    expectRevert(() => verifyInclusion(P1, -1, root, depositProof()), MERKLE_REVERT.INDEX);
  });
  it('accepts a shorter proof as the contract does (it just cannot reach a height-16 root)', () => {
    const short = merkleRoot([P1, P1, P1, P1], 2);
    expect(verifyInclusion(P1, 3, short, inclusionProof([P1, P1, P1, P1], 3, 2))).toBe(true);
    expect(verifyInclusion(P1, 0, root, inclusionProof([P1], 0, 2))).toBe(false);
  });
  it('refuses trees that cannot exist', () => {
    expect(() => merkleRoot([P1, P1, P1], 1)).toThrow(/at most 2/);
    expect(() => merkleRoot([P1], 0)).toThrow(/height/);
    expect(() => inclusionProof([P1], 1)).toThrow(/not in this block/);
  });
});

describe('Merkle properties', () => {
  const blockArb = fc
    .integer({ min: 0, max: 70 })
    .chain((n) =>
      fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { minLength: n, maxLength: n }),
    );

  it('every proof of a random block verifies and fails after one bit flip of proof, leaf or root', () => {
    fc.assert(
      fc.property(blockArb, fc.nat(), fc.nat(), (txs, pick, bit) => {
        const { root, proofs } = allProofs(txs);
        expect(bytesToHex(root)).toBe(bytesToHex(merkleRoot(txs)));
        if (txs.length === 0) {
          expect(bytesToHex(root)).toBe(Z[16]);
          return;
        }
        for (let i = 0; i < txs.length; i++)
          expect(verifyInclusion(txs[i]!, i, root, proofs[i]!)).toBe(true);
        const i = pick % txs.length;
        const proof = proofs[i]!.slice();
        proof[(bit >>> 3) % proof.length]! ^= 1 << (bit & 7);
        expect(verifyInclusion(txs[i]!, i, root, proof)).toBe(false);
        const badRoot = root.slice();
        badRoot[(bit >>> 3) % 32]! ^= 1 << (bit & 7);
        expect(verifyInclusion(txs[i]!, i, badRoot, proofs[i]!)).toBe(false);
        const leaf = new Uint8Array(txs[i]!.length === 0 ? 1 : txs[i]!.length);
        leaf.set(txs[i]!);
        if (txs[i]!.length > 0) leaf[(bit >>> 3) % leaf.length]! ^= 1 << (bit & 7);
        expect(verifyInclusion(leaf, i, root, proofs[i]!)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('a proof checked at another index of the same block fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.nat(), fc.nat(), (n, a, b) => {
        const txs = Array.from({ length: n }, (_, k) => Uint8Array.of(k, n));
        const { root, proofs } = allProofs(txs);
        const i = a % n;
        const j = b % n;
        fc.pre(i !== j);
        expect(verifyInclusion(txs[i]!, j, root, proofs[i]!)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('handles a full block of 65 536 transactions', () => {
    const txs = Array.from({ length: 1 << 16 }, (_, k) => Uint8Array.of(k & 0xff, k >>> 8, 7));
    const { root, proofs } = allProofs(txs);
    expect(proofs).toHaveLength(65536);
    for (const i of [0, 1, 32767, 65534, 65535]) {
      expect(proofs[i]!.length).toBe(512);
      expect(verifyInclusion(txs[i]!, i, root, proofs[i]!)).toBe(true);
      expect(bytesToHex(proofs[i]!)).toBe(bytesToHex(inclusionProof(txs, i)));
    }
    expect(() => merkleRoot([...txs, Uint8Array.of(1)])).toThrow(/at most 65536/);
  });
});
