// The recovery worker, as plain JavaScript run with `new Worker(source, { eval: true })`.
//
// Why a string and not a worker file: electron-vite bundles src/main into out/main/index.js and
// would not ship a sibling .mjs/.cjs worker without a build-config entry, while its `?modulePath`
// import form does not exist under tsx or vitest. An eval'd source needs no file at run time, so it
// behaves the same under tsx, vitest and the built app. Its two dependencies are resolved by the
// main thread (native-secp256k1.ts) and passed as absolute paths in workerData, with the source of
// the library's Keccak permutation (checked against noble's keccak_256 before it is used). The code is kept
// tiny on purpose (it is not type-checked); the pool tests run it against the JS recoverer.
//
// Protocol: { id, buf, count } in, the same buffer back with results written in place (see
// packing.ts for the layout) and the time the chunk took (busyMs, for the pool's stats). { type: 'crash', mode } arms a deliberate crash on the next chunk,
// used only by tests of the pool's crash handling.
export const RECOVER_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const secp256k1 = require(workerData.paths.secp256k1);
const { keccak_256 } = require(workerData.paths.keccak);
const ITEM = 97, RESULT = 21, REJECTED = 0xff;
const pubkey = new Uint8Array(65);
let crash = null;

// The address of pubkey (0x04 ‖ x ‖ y) into out[at, at+20): keccak(x ‖ y)[12..32). The library's
// permutation (workerData.permutation, from src/plasma/keccak.ts) is ~5x faster than noble's
// keccak_256 and allocates nothing; it is used only if it agrees with noble on a known key.
const nobleAddress = (out, at) => out.set(keccak_256(pubkey.subarray(1)).subarray(12), at);
let writeAddress = nobleAddress;
try {
  const k = workerData.permutation;
  const permute = new Function('return (' + k.source + ')')();
  const rcLo = Int32Array.from(k.rcLo), rcHi = Int32Array.from(k.rcHi);
  const state = new Int32Array(50);
  const fast = (out, at) => {
    // 64 message bytes, then the padding: 0x01 at byte 64, 0x80 at byte 135.
    for (let w = 0, o = 1; w < 16; w++, o += 4)
      state[w] = pubkey[o] | (pubkey[o + 1] << 8) | (pubkey[o + 2] << 16) | (pubkey[o + 3] << 24);
    state[16] = 0x01;
    state.fill(0, 17);
    state[33] = 0x80000000 | 0;
    permute(state, rcLo, rcHi);
    for (let w = 3, o = at; w < 8; w++, o += 4) {
      const v = state[w];
      out[o] = v & 0xff; out[o + 1] = (v >>> 8) & 0xff; out[o + 2] = (v >>> 16) & 0xff; out[o + 3] = (v >>> 24) & 0xff;
    }
  };
  for (let i = 0; i < 65; i++) pubkey[i] = (i * 113 + 7) & 0xff;
  const a = new Uint8Array(20), b = new Uint8Array(20);
  fast(a, 0);
  nobleAddress(b, 0);
  if (a.every((x, i) => x === b[i])) writeAddress = fast;
} catch (_) {
  // keep noble's
}

parentPort.on('message', (msg) => {
  if (msg.type === 'crash') { crash = msg.mode; return; }
  if (crash === 'exit') process.exit(70);
  if (crash === 'throw') throw new Error('recovery worker crash requested by a test');
  const started = performance.now();
  const bytes = new Uint8Array(msg.buf);
  for (let i = 0; i < msg.count; i++) {
    const at = i * ITEM;
    const recid = bytes[at + 96];
    let ok = 0;
    if (recid !== REJECTED) {
      try {
        secp256k1.ecdsaRecover(bytes.subarray(at + 32, at + 96), recid, bytes.subarray(at, at + 32), false, pubkey);
        ok = 1;
      } catch (_) {
        // no point for this r, or r/s out of range: ecrecover gives the zero address
      }
    }
    // Result i lands at 21·i, which never reaches input i+1 (at 97·(i+1)): safe in place.
    const out = i * RESULT;
    if (ok === 1) writeAddress(bytes, out + 1);
    bytes[out] = ok;
  }
  const busyMs = performance.now() - started;
  parentPort.postMessage({ id: msg.id, buf: msg.buf, count: msg.count, busyMs }, [msg.buf]);
});
parentPort.postMessage({ type: 'ready', fastKeccak: writeAddress !== nobleAddress });
`;
