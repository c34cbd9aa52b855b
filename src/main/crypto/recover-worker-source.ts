// The recovery worker, as plain JavaScript run with `new Worker(source, { eval: true })`.
//
// Why a string and not a worker file: electron-vite bundles src/main into out/main/index.js and
// would not ship a sibling .mjs/.cjs worker without a build-config entry, while its `?modulePath`
// import form does not exist under tsx or vitest. An eval'd source needs no file at run time, so it
// behaves the same under tsx, vitest and the built app. Its two dependencies are resolved by the
// main thread (native-secp256k1.ts) and passed as absolute paths in workerData. The code is kept
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
    if (ok === 1) bytes.set(keccak_256(pubkey.subarray(1)).subarray(12), out + 1);
    bytes[out] = ok;
  }
  const busyMs = performance.now() - started;
  parentPort.postMessage({ id: msg.id, buf: msg.buf, count: msg.count, busyMs }, [msg.buf]);
});
parentPort.postMessage({ type: 'ready' });
`;
