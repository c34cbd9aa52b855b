// The recovery worker, as plain JavaScript run with `new Worker(source, { eval: true })`.
//
// Why a string and not a worker file: electron-vite bundles src/main into out/main/index.js and
// would not ship a sibling .mjs/.cjs worker without a build-config entry, while its `?modulePath`
// import form does not exist under tsx or vitest. An eval'd source needs no file at run time, so it
// behaves the same under tsx, vitest and the built app. Its two dependencies are resolved by the
// main thread (native-secp256k1.ts) and passed as absolute paths in workerData, with the library's
// WebAssembly Keccak module (checked against noble's keccak_256 before it is used) and how far to
// lower its own scheduling priority. The code is kept
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
let crash = null;

// Below the other threads by workerData.niceness (see RecoveryPoolOptions.niceness). Linux only: a
// thread's own id is the last part of /proc/thread-self, and setpriority on a thread id changes that
// thread alone. Elsewhere (or if refused) the worker keeps the default priority.
let lowPriority = false;
if (workerData.niceness > 0) {
  try {
    const os = require('node:os');
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    if (tid > 0 && tid !== process.pid) {
      os.setPriority(tid, Math.min(19, os.getPriority(tid) + workerData.niceness));
      lowPriority = true;
    }
  } catch (_) {
    // not Linux, or not allowed: default priority
  }
}

// The public key is recovered straight into the memory of the library's WebAssembly Keccak
// (workerData.keccakWasm: the module from src/plasma/keccak-wasm-module.ts and where its free memory
// starts), which hashes x ‖ y there: no copy, no allocation, ~5x faster than the TypeScript
// permutation. It is used only if it agrees with noble's keccak_256 on a known key; else noble's.
let pubkey = new Uint8Array(65);
const nobleAddress = (out, at) => out.set(keccak_256(pubkey.subarray(1)).subarray(12), at);
let writeAddress = nobleAddress;
try {
  const { hex, dynamic } = workerData.keccakWasm;
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(hex, 'hex')), {}).exports;
  const mem = new Uint8Array(wasm.memory.buffer);
  const key = dynamic, digest = dynamic + 96; // 0x04 ‖ x ‖ y at key, keccak(x ‖ y) at digest
  const wasmPubkey = mem.subarray(key, key + 65);
  const fast = (out, at) => {
    wasm.hash(key + 1, 64, digest);
    out.set(mem.subarray(digest + 12, digest + 32), at);
  };
  for (let i = 0; i < 65; i++) wasmPubkey[i] = pubkey[i] = (i * 113 + 7) & 0xff;
  const a = new Uint8Array(20), b = new Uint8Array(20);
  fast(a, 0);
  nobleAddress(b, 0);
  if (a.every((x, i) => x === b[i])) {
    pubkey = wasmPubkey;
    writeAddress = fast;
  }
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
parentPort.postMessage({ type: 'ready', fastKeccak: writeAddress !== nobleAddress, lowPriority });
`;
