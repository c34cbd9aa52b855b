// Keccak-256 in plain TypeScript: the path where WebAssembly cannot run (the renderer) and the
// baseline the WebAssembly one is checked and measured against (keccak.ts picks one). An
// allocation-free sponge on a preallocated state, with the lanes as 32-bit halves; @noble/hashes
// allocates per call and is several times slower here. Checked against @noble/hashes in keccak.test.ts.

const RC_LO = new Int32Array([
  1, 32898, 32906, -2147450880, 32907, -2147483647, -2147450751, 32777, 138, 136, -2147450871,
  -2147483638, -2147450741, 139, 32905, 32771, 32770, 128, 32778, -2147483638, -2147450751, 32896,
  -2147483647, -2147450872,
]);
const RC_HI = new Int32Array([
  0, 0, -2147483648, -2147483648, 0, 0, -2147483648, -2147483648, 0, 0, 0, 0, 0, -2147483648,
  -2147483648, -2147483648, -2147483648, -2147483648, 0, -2147483648, -2147483648, -2147483648, 0,
  -2147483648,
]);

/** Keccak-f[1600] on 25 lanes stored as (lo, hi) 32-bit halves. */
export function keccakF1600(s: Int32Array): void {
  permute(s, RC_LO, RC_HI);
}

/** The permutation, unrolled so V8 keeps the lanes in registers; the round constants are arguments. */
function permute(s: Int32Array, rcLo: Int32Array, rcHi: Int32Array): void {
  let a0 = s[0]!,
    a1 = s[1]!,
    a2 = s[2]!,
    a3 = s[3]!,
    a4 = s[4]!,
    a5 = s[5]!,
    a6 = s[6]!,
    a7 = s[7]!,
    a8 = s[8]!,
    a9 = s[9]!,
    a10 = s[10]!,
    a11 = s[11]!,
    a12 = s[12]!,
    a13 = s[13]!,
    a14 = s[14]!,
    a15 = s[15]!,
    a16 = s[16]!,
    a17 = s[17]!,
    a18 = s[18]!,
    a19 = s[19]!,
    a20 = s[20]!,
    a21 = s[21]!,
    a22 = s[22]!,
    a23 = s[23]!,
    a24 = s[24]!,
    a25 = s[25]!,
    a26 = s[26]!,
    a27 = s[27]!,
    a28 = s[28]!,
    a29 = s[29]!,
    a30 = s[30]!,
    a31 = s[31]!,
    a32 = s[32]!,
    a33 = s[33]!,
    a34 = s[34]!,
    a35 = s[35]!,
    a36 = s[36]!,
    a37 = s[37]!,
    a38 = s[38]!,
    a39 = s[39]!,
    a40 = s[40]!,
    a41 = s[41]!,
    a42 = s[42]!,
    a43 = s[43]!,
    a44 = s[44]!,
    a45 = s[45]!,
    a46 = s[46]!,
    a47 = s[47]!,
    a48 = s[48]!,
    a49 = s[49]!;
  for (let r = 0; r < 24; r++) {
    const c0 = a0 ^ a10 ^ a20 ^ a30 ^ a40;
    const c1 = a1 ^ a11 ^ a21 ^ a31 ^ a41;
    const c2 = a2 ^ a12 ^ a22 ^ a32 ^ a42;
    const c3 = a3 ^ a13 ^ a23 ^ a33 ^ a43;
    const c4 = a4 ^ a14 ^ a24 ^ a34 ^ a44;
    const c5 = a5 ^ a15 ^ a25 ^ a35 ^ a45;
    const c6 = a6 ^ a16 ^ a26 ^ a36 ^ a46;
    const c7 = a7 ^ a17 ^ a27 ^ a37 ^ a47;
    const c8 = a8 ^ a18 ^ a28 ^ a38 ^ a48;
    const c9 = a9 ^ a19 ^ a29 ^ a39 ^ a49;
    const d0 = c8 ^ ((c2 << 1) | (c3 >>> 31));
    const d1 = c9 ^ ((c3 << 1) | (c2 >>> 31));
    const d2 = c0 ^ ((c4 << 1) | (c5 >>> 31));
    const d3 = c1 ^ ((c5 << 1) | (c4 >>> 31));
    const d4 = c2 ^ ((c6 << 1) | (c7 >>> 31));
    const d5 = c3 ^ ((c7 << 1) | (c6 >>> 31));
    const d6 = c4 ^ ((c8 << 1) | (c9 >>> 31));
    const d7 = c5 ^ ((c9 << 1) | (c8 >>> 31));
    const d8 = c6 ^ ((c0 << 1) | (c1 >>> 31));
    const d9 = c7 ^ ((c1 << 1) | (c0 >>> 31));
    const b0 = a0 ^ d0,
      b1 = a1 ^ d1;
    const t32 = a10 ^ d0,
      t33 = a11 ^ d1;
    const b32 = (t33 << 4) | (t32 >>> 28),
      b33 = (t32 << 4) | (t33 >>> 28);
    const t14 = a20 ^ d0,
      t15 = a21 ^ d1;
    const b14 = (t14 << 3) | (t15 >>> 29),
      b15 = (t15 << 3) | (t14 >>> 29);
    const t46 = a30 ^ d0,
      t47 = a31 ^ d1;
    const b46 = (t47 << 9) | (t46 >>> 23),
      b47 = (t46 << 9) | (t47 >>> 23);
    const t28 = a40 ^ d0,
      t29 = a41 ^ d1;
    const b28 = (t28 << 18) | (t29 >>> 14),
      b29 = (t29 << 18) | (t28 >>> 14);
    const t20 = a2 ^ d2,
      t21 = a3 ^ d3;
    const b20 = (t20 << 1) | (t21 >>> 31),
      b21 = (t21 << 1) | (t20 >>> 31);
    const t2 = a12 ^ d2,
      t3 = a13 ^ d3;
    const b2 = (t3 << 12) | (t2 >>> 20),
      b3 = (t2 << 12) | (t3 >>> 20);
    const t34 = a22 ^ d2,
      t35 = a23 ^ d3;
    const b34 = (t34 << 10) | (t35 >>> 22),
      b35 = (t35 << 10) | (t34 >>> 22);
    const t16 = a32 ^ d2,
      t17 = a33 ^ d3;
    const b16 = (t17 << 13) | (t16 >>> 19),
      b17 = (t16 << 13) | (t17 >>> 19);
    const t48 = a42 ^ d2,
      t49 = a43 ^ d3;
    const b48 = (t48 << 2) | (t49 >>> 30),
      b49 = (t49 << 2) | (t48 >>> 30);
    const t40 = a4 ^ d4,
      t41 = a5 ^ d5;
    const b40 = (t41 << 30) | (t40 >>> 2),
      b41 = (t40 << 30) | (t41 >>> 2);
    const t22 = a14 ^ d4,
      t23 = a15 ^ d5;
    const b22 = (t22 << 6) | (t23 >>> 26),
      b23 = (t23 << 6) | (t22 >>> 26);
    const t4 = a24 ^ d4,
      t5 = a25 ^ d5;
    const b4 = (t5 << 11) | (t4 >>> 21),
      b5 = (t4 << 11) | (t5 >>> 21);
    const t36 = a34 ^ d4,
      t37 = a35 ^ d5;
    const b36 = (t36 << 15) | (t37 >>> 17),
      b37 = (t37 << 15) | (t36 >>> 17);
    const t18 = a44 ^ d4,
      t19 = a45 ^ d5;
    const b18 = (t19 << 29) | (t18 >>> 3),
      b19 = (t18 << 29) | (t19 >>> 3);
    const t10 = a6 ^ d6,
      t11 = a7 ^ d7;
    const b10 = (t10 << 28) | (t11 >>> 4),
      b11 = (t11 << 28) | (t10 >>> 4);
    const t42 = a16 ^ d6,
      t43 = a17 ^ d7;
    const b42 = (t43 << 23) | (t42 >>> 9),
      b43 = (t42 << 23) | (t43 >>> 9);
    const t24 = a26 ^ d6,
      t25 = a27 ^ d7;
    const b24 = (t24 << 25) | (t25 >>> 7),
      b25 = (t25 << 25) | (t24 >>> 7);
    const t6 = a36 ^ d6,
      t7 = a37 ^ d7;
    const b6 = (t6 << 21) | (t7 >>> 11),
      b7 = (t7 << 21) | (t6 >>> 11);
    const t38 = a46 ^ d6,
      t39 = a47 ^ d7;
    const b38 = (t39 << 24) | (t38 >>> 8),
      b39 = (t38 << 24) | (t39 >>> 8);
    const t30 = a8 ^ d8,
      t31 = a9 ^ d9;
    const b30 = (t30 << 27) | (t31 >>> 5),
      b31 = (t31 << 27) | (t30 >>> 5);
    const t12 = a18 ^ d8,
      t13 = a19 ^ d9;
    const b12 = (t12 << 20) | (t13 >>> 12),
      b13 = (t13 << 20) | (t12 >>> 12);
    const t44 = a28 ^ d8,
      t45 = a29 ^ d9;
    const b44 = (t45 << 7) | (t44 >>> 25),
      b45 = (t44 << 7) | (t45 >>> 25);
    const t26 = a38 ^ d8,
      t27 = a39 ^ d9;
    const b26 = (t26 << 8) | (t27 >>> 24),
      b27 = (t27 << 8) | (t26 >>> 24);
    const t8 = a48 ^ d8,
      t9 = a49 ^ d9;
    const b8 = (t8 << 14) | (t9 >>> 18),
      b9 = (t9 << 14) | (t8 >>> 18);
    a0 = b0 ^ (~b2 & b4);
    a1 = b1 ^ (~b3 & b5);
    a2 = b2 ^ (~b4 & b6);
    a3 = b3 ^ (~b5 & b7);
    a4 = b4 ^ (~b6 & b8);
    a5 = b5 ^ (~b7 & b9);
    a6 = b6 ^ (~b8 & b0);
    a7 = b7 ^ (~b9 & b1);
    a8 = b8 ^ (~b0 & b2);
    a9 = b9 ^ (~b1 & b3);
    a10 = b10 ^ (~b12 & b14);
    a11 = b11 ^ (~b13 & b15);
    a12 = b12 ^ (~b14 & b16);
    a13 = b13 ^ (~b15 & b17);
    a14 = b14 ^ (~b16 & b18);
    a15 = b15 ^ (~b17 & b19);
    a16 = b16 ^ (~b18 & b10);
    a17 = b17 ^ (~b19 & b11);
    a18 = b18 ^ (~b10 & b12);
    a19 = b19 ^ (~b11 & b13);
    a20 = b20 ^ (~b22 & b24);
    a21 = b21 ^ (~b23 & b25);
    a22 = b22 ^ (~b24 & b26);
    a23 = b23 ^ (~b25 & b27);
    a24 = b24 ^ (~b26 & b28);
    a25 = b25 ^ (~b27 & b29);
    a26 = b26 ^ (~b28 & b20);
    a27 = b27 ^ (~b29 & b21);
    a28 = b28 ^ (~b20 & b22);
    a29 = b29 ^ (~b21 & b23);
    a30 = b30 ^ (~b32 & b34);
    a31 = b31 ^ (~b33 & b35);
    a32 = b32 ^ (~b34 & b36);
    a33 = b33 ^ (~b35 & b37);
    a34 = b34 ^ (~b36 & b38);
    a35 = b35 ^ (~b37 & b39);
    a36 = b36 ^ (~b38 & b30);
    a37 = b37 ^ (~b39 & b31);
    a38 = b38 ^ (~b30 & b32);
    a39 = b39 ^ (~b31 & b33);
    a40 = b40 ^ (~b42 & b44);
    a41 = b41 ^ (~b43 & b45);
    a42 = b42 ^ (~b44 & b46);
    a43 = b43 ^ (~b45 & b47);
    a44 = b44 ^ (~b46 & b48);
    a45 = b45 ^ (~b47 & b49);
    a46 = b46 ^ (~b48 & b40);
    a47 = b47 ^ (~b49 & b41);
    a48 = b48 ^ (~b40 & b42);
    a49 = b49 ^ (~b41 & b43);
    a0 ^= rcLo[r]!;
    a1 ^= rcHi[r]!;
  }
  s[0] = a0;
  s[1] = a1;
  s[2] = a2;
  s[3] = a3;
  s[4] = a4;
  s[5] = a5;
  s[6] = a6;
  s[7] = a7;
  s[8] = a8;
  s[9] = a9;
  s[10] = a10;
  s[11] = a11;
  s[12] = a12;
  s[13] = a13;
  s[14] = a14;
  s[15] = a15;
  s[16] = a16;
  s[17] = a17;
  s[18] = a18;
  s[19] = a19;
  s[20] = a20;
  s[21] = a21;
  s[22] = a22;
  s[23] = a23;
  s[24] = a24;
  s[25] = a25;
  s[26] = a26;
  s[27] = a27;
  s[28] = a28;
  s[29] = a29;
  s[30] = a30;
  s[31] = a31;
  s[32] = a32;
  s[33] = a33;
  s[34] = a34;
  s[35] = a35;
  s[36] = a36;
  s[37] = a37;
  s[38] = a38;
  s[39] = a39;
  s[40] = a40;
  s[41] = a41;
  s[42] = a42;
  s[43] = a43;
  s[44] = a44;
  s[45] = a45;
  s[46] = a46;
  s[47] = a47;
  s[48] = a48;
  s[49] = a49;
}

const RATE = 136;
/** The sponge state, shared by every caller on this thread (JS is single-threaded per isolate). */
const STATE = new Int32Array(50);
const BLOCK = new Uint8Array(RATE);

function absorbBlock(): void {
  const b = BLOCK;
  const s = STATE;
  for (let w = 0, o = 0; w < 34; w++, o += 4) {
    s[w]! ^= b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
  }
  keccakF1600(s);
}

/** Appends src[off, off+len) to BLOCK from `pos`, permuting at every full block; returns the new pos. */
function absorbBytes(src: Uint8Array, off: number, len: number, pos: number): number {
  const blk = BLOCK;
  let i = off;
  const end = off + len;
  while (i < end) {
    const take = Math.min(RATE - pos, end - i);
    for (let k = 0; k < take; k++) blk[pos + k] = src[i + k]!;
    pos += take;
    i += take;
    if (pos === RATE) {
      absorbBlock();
      pos = 0;
    }
  }
  return pos;
}

/**
 * keccak(prefix ‖ a[aOff, aOff+aLen) ‖ b[bOff, bOff+bLen)) written to out[outOff, outOff+32).
 * `prefix` < 0 means no prefix byte. Every path (this one, WebAssembly, keccak.ts) has this shape.
 */
export type KeccakParts = (
  prefix: number,
  a: Uint8Array,
  aOff: number,
  aLen: number,
  b: Uint8Array,
  bOff: number,
  bLen: number,
  out: Uint8Array,
  outOff: number,
) => void;

export const jsKeccakParts: KeccakParts = (prefix, a, aOff, aLen, b, bOff, bLen, out, outOff) => {
  STATE.fill(0);
  const blk = BLOCK;
  let pos = 0;
  if (prefix >= 0) blk[pos++] = prefix;
  pos = absorbBytes(a, aOff, aLen, pos);
  pos = absorbBytes(b, bOff, bLen, pos);
  blk.fill(0, pos);
  blk[pos]! ^= 0x01;
  blk[RATE - 1]! ^= 0x80;
  absorbBlock();
  const s = STATE;
  for (let w = 0, o = outOff; w < 8; w++, o += 4) {
    const v = s[w]!;
    out[o] = v & 0xff;
    out[o + 1] = (v >>> 8) & 0xff;
    out[o + 2] = (v >>> 16) & 0xff;
    out[o + 3] = (v >>> 24) & 0xff;
  }
};

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * node(l, r) = keccak(0x01 ‖ l ‖ r) on 32-bit little-endian word views: l = a[ai, ai+8), r = b[bi, bi+8),
 * result to out[oi, oi+8). The 65-byte message fits one block, so the state is set, not absorbed.
 */
function nodeWords(
  a: Int32Array,
  ai: number,
  b: Int32Array,
  bi: number,
  out: Int32Array,
  oi: number,
): void {
  const s = STATE;
  let prev = a[ai]!;
  s[0] = 0x01 | (prev << 8);
  for (let w = 1; w < 8; w++) {
    const cur = a[ai + w]!;
    s[w] = (prev >>> 24) | (cur << 8);
    prev = cur;
  }
  for (let w = 0; w < 8; w++) {
    const cur = b[bi + w]!;
    s[8 + w] = (prev >>> 24) | (cur << 8);
    prev = cur;
  }
  s[16] = (prev >>> 24) | 0x0100; // last byte of r, then the 0x01 padding byte
  s.fill(0, 17);
  s[33] = 0x80000000 | 0; // final padding bit at byte 135
  keccakF1600(s);
  for (let w = 0; w < 8; w++) out[oi + w] = s[w]!;
}

const words = (b: Uint8Array): Int32Array => new Int32Array(b.buffer, b.byteOffset, b.length >>> 2);

/**
 * One Merkle level up from `count` nodes of `nodes`: out[i] = keccak(0x01 ‖ n[2i] ‖ n[2i+1]), `zero`
 * standing in for a missing right sibling. Word views where the host and alignment allow.
 */
export function jsKeccakLevel(
  nodes: Uint8Array,
  count: number,
  zero: Uint8Array,
  out: Uint8Array,
): void {
  const outCount = (count + 1) >>> 1;
  const aligned = [nodes, zero, out].every((b) => b.byteOffset % 4 === 0);
  if (LITTLE_ENDIAN && aligned) {
    const nw = words(nodes);
    const zw = words(zero);
    const ow = words(out);
    for (let i = 0; i < outCount; i++) {
      const l = 2 * i;
      if (l + 1 < count) nodeWords(nw, 8 * l, nw, 8 * (l + 1), ow, 8 * i);
      else nodeWords(nw, 8 * l, zw, 0, ow, 8 * i);
    }
    return;
  }
  for (let i = 0; i < outCount; i++) {
    const l = 2 * i;
    if (l + 1 < count) jsKeccakParts(0x01, nodes, 32 * l, 32, nodes, 32 * (l + 1), 32, out, 32 * i);
    else jsKeccakParts(0x01, nodes, 32 * l, 32, zero, 0, 32, out, 32 * i);
  }
}
