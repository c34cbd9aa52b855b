// Merkle trees of child-chain blocks (protocol.md §6): height 16, leaf = keccak(0x00 ‖ tx bytes),
// node = keccak(0x01 ‖ left ‖ right), empty slots hold z0. Builds a block's root and every proof in one
// pass over flat buffers, and verifies proofs exactly as the contracts' Merkle library does.

import { keccakLevel, keccakMany, keccakParts } from './keccak';
import { PlasmaError } from './errors';

/** Revert strings of the contracts' Merkle library (protocol.md §6.3), attached to our errors as `revert`. */
export const MERKLE_REVERT = {
  EMPTY: 'Merkle proof must not be empty',
  LENGTH: 'Length of Merkle proof must be a multiple of 32',
  INDEX: 'Index does not match the length of the proof',
} as const;

function revertError(revert: string, message: string): PlasmaError {
  return new PlasmaError('invalid_argument', `${revert}: ${message}`, { revert });
}

export const MERKLE_HEIGHT = 16;

const EMPTY = new Uint8Array(0);

// ---------------------------------------------------------------------------------------------------
// Tree

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** leaf(tx) = keccak(0x00 ‖ tx bytes). */
export function leafHash(txBytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  keccakParts(LEAF_PREFIX, txBytes, 0, txBytes.length, EMPTY, 0, 0, out, 0);
  return out;
}

/** node(l, r) = keccak(0x01 ‖ l ‖ r). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  keccakParts(NODE_PREFIX, left, 0, 32, right, 0, 32, out, 0);
  return out;
}

// z0 = keccak(0x00 ‖ 32 zero bytes), z(h+1) = node(z(h), z(h)); kept flat: z(h) at [32h, 32h+32).
const MAX_HEIGHT = 32;
const ZERO_FLAT = new Uint8Array(32 * (MAX_HEIGHT + 1));
keccakParts(LEAF_PREFIX, new Uint8Array(32), 0, 32, EMPTY, 0, 0, ZERO_FLAT, 0);
for (let h = 0; h < MAX_HEIGHT; h++) {
  keccakParts(NODE_PREFIX, ZERO_FLAT, 32 * h, 32, ZERO_FLAT, 32 * h, 32, ZERO_FLAT, 32 * (h + 1));
}
const ZERO_WORDS = new Int32Array(ZERO_FLAT.buffer);

/** z0 … z16: the root of an empty subtree of each height (protocol.md §6.1). */
export const ZERO_HASHES: readonly Uint8Array[] = Object.freeze(
  Array.from({ length: MERKLE_HEIGHT + 1 }, (_, h) => ZERO_FLAT.slice(32 * h, 32 * h + 32)),
);

function checkTree(count: number, height: number): void {
  if (!Number.isInteger(height) || height < 1 || height > MAX_HEIGHT) {
    throw new PlasmaError(
      'invalid_argument',
      `A Merkle tree height must be a whole number from 1 to ${MAX_HEIGHT}; got ${height}.`,
    );
  }
  if (count > 2 ** height) {
    throw new PlasmaError(
      'too_many_transactions_in_block',
      `A tree of height ${height} holds at most ${2 ** height} transactions; this block has ${count}. Split it into more blocks.`,
    );
  }
}

/** Level h of the tree as one flat buffer of `count` 32-byte nodes (missing right siblings are z(h)). */
interface Levels {
  nodes: Uint8Array[];
  counts: number[];
}

/** keccak(0x00 ‖ tx) of each of `txs`, written to out[32·(first + i), …): a tree's leaf level. */
export function leafHashesInto(txs: readonly Uint8Array[], out: Uint8Array, first = 0): void {
  keccakMany(LEAF_PREFIX, txs, out, 32 * first);
}

/** The level above `count` nodes at level h (a missing right sibling is z(h)). */
function levelAbove(level: Uint8Array, count: number, h: number): Uint8Array {
  const next = new Uint8Array(32 * ((count + 1) >>> 1));
  keccakLevel(level, count, ZERO_FLAT.subarray(32 * h, 32 * h + 32), next);
  return next;
}

/**
 * The root of the subtree whose level `from` holds the `count` nodes of `nodes` (32 bytes each,
 * the rest of that level empty: z(from)), `height` being the whole tree's. With from = 0 and leaf
 * hashes this is merkleRoot; a block can also be hashed in aligned pieces of 2^k leaves (each piece's
 * root from level 0 to k), then the pieces' roots from level k up, so most of the work is spread.
 */
export function rootOfLevel(
  nodes: Uint8Array,
  count: number,
  from: number,
  height: number = MERKLE_HEIGHT,
): Uint8Array {
  if (from === height && count <= 1 && Number.isInteger(height) && height >= 0)
    return count === 1 ? nodes.slice(0, 32) : ZERO_FLAT.slice(32 * height, 32 * height + 32);
  checkTree(count, height - from);
  if (count === 0) return ZERO_FLAT.slice(32 * height, 32 * height + 32);
  let level = nodes;
  for (let h = from; h < height; h++) {
    level = levelAbove(level, count, h);
    count = (count + 1) >>> 1;
  }
  return level.slice(0, 32);
}

function buildLevels(txs: readonly Uint8Array[], height: number): Levels {
  checkTree(txs.length, height);
  const nodes: Uint8Array[] = [];
  const counts: number[] = [];
  let count = txs.length;
  let level: Uint8Array = new Uint8Array(32 * count);
  leafHashesInto(txs, level);
  nodes.push(level);
  counts.push(count);
  for (let h = 0; h < height; h++) {
    level = levelAbove(level, count, h);
    count = (count + 1) >>> 1;
    nodes.push(level);
    counts.push(count);
  }
  return { nodes, counts };
}

function rootOf(levels: Levels, height: number): Uint8Array {
  return levels.counts[height] === 1
    ? levels.nodes[height]!.slice(0, 32)
    : ZERO_FLAT.slice(32 * height, 32 * height + 32);
}

/** Root of the block whose transactions (unsigned tx bytes, in txindex order) are `txs`. */
export function merkleRoot(txs: readonly Uint8Array[], height: number = MERKLE_HEIGHT): Uint8Array {
  checkTree(txs.length, height);
  const leaves = new Uint8Array(32 * txs.length);
  leafHashesInto(txs, leaves);
  return rootOfLevel(leaves, txs.length, 0, height);
}

/**
 * The root and the inclusion proof of every transaction of a block, in one pass. Proof i is the
 * concatenation of the `height` sibling hashes from the leaf upward (512 bytes at height 16); all
 * proofs are views into one buffer.
 */
export function allProofs(
  txs: readonly Uint8Array[],
  height: number = MERKLE_HEIGHT,
): { root: Uint8Array; proofs: Uint8Array[] } {
  const levels = buildLevels(txs, height);
  const n = txs.length;
  const proofBytes = 32 * height;
  const buffer = new Uint8Array(n * proofBytes);
  const out = new Int32Array(buffer.buffer);
  const wordsPerProof = 8 * height;
  for (let h = 0; h < height; h++) {
    const count = levels.counts[h]!;
    const src = new Int32Array(levels.nodes[h]!.buffer);
    for (let i = 0; i < n; i++) {
      const sibling = (i >>> h) ^ 1;
      let from: Int32Array;
      let s: number;
      if (sibling < count) {
        from = src;
        s = 8 * sibling;
      } else {
        from = ZERO_WORDS;
        s = 8 * h;
      }
      const d = i * wordsPerProof + 8 * h;
      out[d] = from[s]!;
      out[d + 1] = from[s + 1]!;
      out[d + 2] = from[s + 2]!;
      out[d + 3] = from[s + 3]!;
      out[d + 4] = from[s + 4]!;
      out[d + 5] = from[s + 5]!;
      out[d + 6] = from[s + 6]!;
      out[d + 7] = from[s + 7]!;
    }
  }
  const proofs: Uint8Array[] = new Array<Uint8Array>(n);
  for (let i = 0; i < n; i++) proofs[i] = buffer.subarray(i * proofBytes, (i + 1) * proofBytes);
  return { root: rootOf(levels, height), proofs };
}

/** The inclusion proof of the transaction at slot `index` of the block `txs`. */
export function inclusionProof(
  txs: readonly Uint8Array[],
  index: number,
  height: number = MERKLE_HEIGHT,
): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= txs.length) {
    throw new PlasmaError(
      'invalid_argument',
      `Transaction index ${index} is not in this block, which has ${txs.length} transactions.`,
    );
  }
  const levels = buildLevels(txs, height);
  const proof = new Uint8Array(32 * height);
  for (let h = 0; h < height; h++) {
    const sibling = (index >>> h) ^ 1;
    if (sibling < levels.counts[h]!) {
      proof.set(levels.nodes[h]!.subarray(32 * sibling, 32 * sibling + 32), 32 * h);
    } else {
      proof.set(ZERO_FLAT.subarray(32 * h, 32 * h + 32), 32 * h);
    }
  }
  return proof;
}

/**
 * Checks an inclusion proof as the contracts' Merkle library does (protocol.md §6.3). Throws, with the
 * contract's revert string, where the contract reverts; returns false where it returns false.
 */
export function verifyInclusion(
  txBytes: Uint8Array,
  index: bigint | number,
  root: Uint8Array,
  proof: Uint8Array,
): boolean {
  if (proof.length === 0) {
    throw revertError(
      MERKLE_REVERT.EMPTY,
      'The Merkle proof is empty; pass the 512-byte proof of the block.',
    );
  }
  if (proof.length % 32 !== 0) {
    throw revertError(
      MERKLE_REVERT.LENGTH,
      `The Merkle proof is ${proof.length} bytes; it must be whole 32-byte hashes (512 bytes at height 16).`,
    );
  }
  let idx = BigInt(index);
  if (idx < 0n || idx >= 1n << BigInt(proof.length / 32)) {
    throw revertError(
      MERKLE_REVERT.INDEX,
      `Transaction index ${idx} does not fit a proof of ${proof.length / 32} hashes; check the txindex and the proof.`,
    );
  }
  const h = new Uint8Array(32);
  keccakParts(LEAF_PREFIX, txBytes, 0, txBytes.length, EMPTY, 0, 0, h, 0);
  for (let off = 0; off < proof.length; off += 32) {
    if ((idx & 1n) === 0n) keccakParts(NODE_PREFIX, h, 0, 32, proof, off, 32, h, 0);
    else keccakParts(NODE_PREFIX, proof, off, 32, h, 0, 32, h, 0);
    idx >>= 1n;
  }
  if (root.length !== 32) return false;
  for (let i = 0; i < 32; i++) if (h[i] !== root[i]) return false;
  return true;
}

/** Root of the one-leaf block a vault submits for a deposit (protocol.md §6.4). */
export function depositBlockRoot(depositTxBytes: Uint8Array): Uint8Array {
  return merkleRoot([depositTxBytes], MERKLE_HEIGHT);
}

/** The proof of any deposit output: z0 ‖ z1 ‖ … ‖ z15 (txindex 0). */
export function depositProof(): Uint8Array {
  return ZERO_FLAT.slice(0, 32 * MERKLE_HEIGHT);
}

/** The height omg-js picks when none is given (ceil(log2 n), at least 1); the protocol uses 16. */
export function minimalHeight(leafCount: number): number {
  if (leafCount <= 1) return 1;
  return Math.ceil(Math.log2(leafCount));
}
