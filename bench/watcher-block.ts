// How fast the watcher takes one full child block (65,536 transactions at most, 1–4 inputs each):
// the block getter's own path, startCheck + checkAndExecute (returned hash and number, strict decoding
// and signer recovery on the worker pool, each slice executed with the shared ledger against the
// store's UTXO set as soon as its signers are in, its transactions and effects handed to the app's
// store-writer worker at once, the Merkle root) and the commit (the writer finishing;
// VIGIL_BENCH_WRITER=inline gathers the slices and writes the whole block on this thread at the
// commit instead), timed beside a bare native ecdsaRecover loop over the same signatures on every
// core (the ceiling; a payment whose inputs share an owner repeats one signature, which the validator
// recovers once, so the loop over the distinct signatures is timed too), with the main thread's
// longest stall in each part. checkBlock alone is timed for reference.
//
// The block (VIGIL_BENCH_BLOCK): `devnet` (default) starts a devnet, fills its next block with
// devnet/fill.ts, syncs a store with the real follower and getter up to the last setup block, which
// each round applies through the getter's path before timing the filled block as downloaded with
// block.get; `built` makes a 65,531-payment + 5-fee-claim block here from a seed (signed natively,
// ~10 s) and a store funded by one synthetic block. VIGIL_BENCH_PREVIOUS=cold reopens the store after
// that previous block (a watcher's first block after a restart); by default the same store object
// times the block, as in a watcher following the chain.
// It runs with the watcher's V8 heap flags (src/main/headless/v8-flags.ts), as users' watchers do:
// the young generation's size decides how much of the main thread goes to garbage collection.
// Run alone with `npx tsx bench/watcher-block.ts`; VIGIL_BENCH_TXS=4096 makes a quick smoke run;
// VIGIL_BENCH_SLICE sets checkBlock's slice size (transactions decoded per hand-over to the pool);
// VIGIL_BENCH_PROFILE=<file.cpuprofile> profiles this thread over the last round's validate + commit.
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { keccak_256 } from '@noble/hashes/sha3';
import { signingDigest } from '../src/plasma/eip712';
import { bytesToHex } from '../src/plasma/hex';
import type { CreatedOutput } from '../src/plasma/ledger';
import { parseSignature, pubkeyToAddress } from '../src/plasma/recover';
import { decodeSignedTransaction, encodeSigned } from '../src/plasma/tx';
import {
  ETH_TOKEN,
  NULL_METADATA,
  type Address,
  type Hex,
  type PaymentTx,
} from '../src/plasma/types';
import { loadNativeSecp256k1, type NativeSecp256k1 } from '../src/main/crypto/native-secp256k1';
import { createNativeRecoverer } from '../src/main/crypto/native-recoverer';
import { createRecoveryPool } from '../src/main/crypto/recovery-pool';
import { BlockGetter, requestOf, type BlockSource } from '../src/main/watcher/block-getter';
import {
  ChildChainClient,
  ChildChainError,
  type BlockGetData,
} from '../src/main/watcher/child-chain-client';
import { watcherConfigFor } from '../src/main/watcher/config';
import { reexecWithV8Flags } from '../src/main/headless/v8-flags';
import { openDeployment } from '../src/main/watcher/deployment';
import { ethereumReaderFor } from '../src/main/watcher/open';
import { EthereumFollower } from '../src/main/watcher/follower';
import { fillBlocks } from '../devnet/fill';
import { startDevnet } from '../devnet/network';
import {
  WatcherStore,
  applyBlockWith,
  inlineBlockWriter,
  workerBlockWriter,
} from '../src/main/store';
import { Rng } from '../src/main/store/testing/synthetic';
import {
  blockHeader,
  checkAndExecute,
  checkBlock,
  startCheck,
  type BlockRequest,
} from '../src/main/watcher/block-validator';
import { merkleRoot } from '../src/plasma/merkle';
import { feeClaim, pos } from '../src/main/watcher/testing-blocks';
import { bareAllCores, loadNote, timedAsync, withStallMonitor } from './plasma';

const BLOCK_TXS = Number(process.env.VIGIL_BENCH_TXS ?? 65_536);
const ROUNDS = Number(process.env.VIGIL_BENCH_ROUNDS ?? 2);
/** Where the block is written: the app's store-writer worker (default) or the store's own connection. */
const WRITER = process.env.VIGIL_BENCH_WRITER === 'inline' ? 'inline' : 'worker';
/** Where to write a CPU profile of this thread over the last round's validate + commit (Chrome's format). */
const PROFILE = process.env.VIGIL_BENCH_PROFILE;
/**
 * `warm` (default): the store object that times the block has just committed the block before it,
 * as in a watcher following the chain (the store answers that block's outputs from memory); `cold`:
 * it was opened just before, as in a watcher's first block after a restart.
 */
const PREVIOUS = process.env.VIGIL_BENCH_PREVIOUS === 'cold' ? 'cold' : 'warm';
const KEY_COUNT = 256;
const FUNDING_BLKNUM = 1000n;
const BLKNUM = 2000n;
const FUNDING_AMOUNT = 1_000_000_000_000n;
const VERIFYING_CONTRACT: Address = '0x44de0ec539b8c4a4b530c78620fe8320167f2f74';
/** A full block: 65,531 payments and one fee claim in each of 5 tokens (the ledger keeps 5 slots for them). */
const TOKENS: Address[] = [
  ETH_TOKEN,
  ...[1, 2, 3, 4].map((t) => `0x${String(t).repeat(40)}` as Address),
];
const PAYMENTS = Math.max(1, BLOCK_TXS - TOKENS.length);
/** Native recoveries per second per core that the brief measured on these machines. */
const REFERENCE_RECOVERIES_PER_CORE = 17_000;

/** CPU time of this thread so far, ms (the workers' is not included). */
const threadCpuMs = (): number => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
};

/** CPU time of the whole process so far (every thread: this one, the workers, libuv's, V8's), ms. */
const processCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * CPU time of each kind of thread so far, ms, from /proc (Linux; empty elsewhere): the recovery
 * workers (Node worker threads that lowered their priority), the other worker threads (the store
 * writer), V8's helper threads (concurrent marking, parallel scavenges, compilation) and the rest.
 * Clock ticks of 10 ms, so a figure is good to a few tens of ms.
 */
function threadKindsCpuMs(): Map<string, number> {
  const kinds = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return kinds;
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    // Fields after the name: state is field 3, utime 14, stime 15, nice 19.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const nice = Number(fields[16]);
    const kind =
      name === 'MainThread'
        ? 'main thread'
        : name === 'WorkerThread'
          ? nice > 0
            ? 'recovery workers'
            : 'store writer'
          : name === 'V8Worker'
            ? "V8's helpers"
            : 'other';
    kinds.set(kind, (kinds.get(kind) ?? 0) + ticks * 10);
  }
  return kinds;
}

/** What each kind of thread spent between two readings of threadKindsCpuMs, ms. */
function threadKindsDelta(before: Map<string, number>, after: Map<string, number>): string {
  return [...after]
    .map(([kind, ms]) => [kind, ms - (before.get(kind) ?? 0)] as const)
    .filter(([, ms]) => ms > 0)
    .map(([kind, ms]) => `${kind} ${fmt(ms)} ms`)
    .join(', ');
}

/**
 * A full garbage collection now, so that a timed part does not pay for what the part before it left
 * (a full block leaves ~500 MB of garbage; marking it lands in whatever runs next).
 */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  return typeof gc === 'function' ? (gc as () => void) : () => undefined;
})();

/** Garbage collection on this thread from now until `stop`: total pause time and count. */
function watchGc(): { stop(): { ms: number; count: number } } {
  let ms = 0;
  let count = 0;
  const add = (entries: PerformanceEntry[]): void => {
    for (const e of entries) {
      ms += e.duration;
      count++;
    }
  };
  const observer = new PerformanceObserver((list) => add(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      add(observer.takeRecords());
      observer.disconnect();
      return { ms, count };
    },
  };
}

/** Starts the V8 profiler on this thread; `stop` writes the profile to a file. */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`  CPU profile of the last round written to ${file}`);
    },
  };
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (t: number): string => `${fmt(t, t < 10 ? 1 : 0)} ms`;
const row = (label: string, ...cells: string[]): void =>
  console.log(`  ${label.padEnd(52)}${cells.map((c) => c.padStart(14)).join('')}`);

interface Plan {
  keys: Uint8Array[];
  owners: Address[];
  /** Per transaction: the key index of each input's owner, and the payment. */
  txs: { signers: number[]; tx: PaymentTx }[];
  /** Fees left by the payments, per token: what the fee claims collect. */
  fees: Map<Address, bigint>;
}

/** The block's shape from the seed alone: tx i spends outputs (1000, i, 0..k−1) of the funding block. */
function plan(seed: number, native: NativeSecp256k1): Plan {
  const rng = new Rng(seed);
  const pick = (n: number) => rng.int(0, n - 1);
  const keys: Uint8Array[] = [];
  const owners: Address[] = [];
  for (let k = 0; keys.length < KEY_COUNT; k++) {
    const key = keccak_256(new TextEncoder().encode(`vigil watcher bench key ${seed}/${k}`));
    if (!native.privateKeyVerify(key)) continue;
    keys.push(key);
    owners.push(pubkeyToAddress(native.publicKeyCreate(key, false)));
  }
  const txs: Plan['txs'] = [];
  const fees = new Map<Address, bigint>();
  for (let i = 0; i < PAYMENTS; i++) {
    const signers = Array.from({ length: 1 + pick(4) }, () => pick(KEY_COUNT));
    const outputCount = 1 + pick(4);
    const token = TOKENS[i % TOKENS.length]!;
    const inputTotal = FUNDING_AMOUNT * BigInt(signers.length);
    const each = (inputTotal - 1_000n) / BigInt(outputCount); // leaves a fee
    fees.set(token, (fees.get(token) ?? 0n) + inputTotal - each * BigInt(outputCount));
    txs.push({
      signers,
      tx: {
        txType: 1n,
        inputs: signers.map((_, j) => pos(FUNDING_BLKNUM, BigInt(i), BigInt(j))),
        outputs: Array.from({ length: outputCount }, () => ({
          outputType: 1n,
          outputGuard: owners[pick(KEY_COUNT)]!,
          token,
          amount: each,
        })),
        txData: 0n,
        metadata: NULL_METADATA,
      },
    });
  }
  return { keys, owners, txs, fees };
}

function sign(p: Plan, native: NativeSecp256k1): Uint8Array[] {
  return p.txs.map(({ signers, tx }) => {
    const digest = signingDigest(tx, VERIFYING_CONTRACT);
    const sigs = signers.map((k): Hex => {
      const { signature, recid } = native.ecdsaSign(digest, p.keys[k]!);
      return `${bytesToHex(signature)}${(27 + recid).toString(16)}` as Hex;
    });
    return encodeSigned({ tx, sigs });
  });
}

function signAll(p: Plan, native: NativeSecp256k1): Uint8Array[] {
  const started = performance.now();
  const signed = sign(p, native);
  console.log(
    `  ${fmt(signed.length)} payments signed natively in ${ms(performance.now() - started)}`,
  );
  return signed;
}

/** A store holding the funding block: output (1000, i, j) belongs to the signer of input j of tx i. */
async function fundedStore(dir: string, round: number, p: Plan): Promise<WatcherStore> {
  const file = join(dir, `round-${round}.sqlite`);
  const store = WatcherStore.open(file);
  const created: CreatedOutput[] = [];
  const transactions = p.txs.map(({ signers }, i) => {
    const txBytes = keccak_256(new TextEncoder().encode(`funding ${i}`));
    const txHash = bytesToHex(keccak_256(txBytes));
    signers.forEach((k, j) =>
      created.push({
        utxoPos: pos(FUNDING_BLKNUM, BigInt(i), BigInt(j)),
        outputType: 1n,
        owner: p.owners[k]!,
        token: TOKENS[i % TOKENS.length]!,
        amount: FUNDING_AMOUNT,
        txHash,
      }),
    );
    return { txindex: i, txHash, signedBytes: txBytes, txBytes };
  });
  // Through a block writer, as the getter commits a block.
  await applyBlockWith(
    inlineBlockWriter(store),
    {
      blknum: FUNDING_BLKNUM,
      hash: `0x${'00'.repeat(32)}`,
      ethHeight: 1,
      timestamp: 1,
      transactions,
    },
    { blknum: FUNDING_BLKNUM, spent: [], created, unclaimedFees: new Map() },
    { block_getter: 1 },
  );
  if (PREVIOUS === 'warm') return store;
  store.close();
  return WatcherStore.open(file);
}

/**
 * The block to time, and a store in the state just before it (fresh for each round; see PREVIOUS for
 * how it got there).
 */
interface BenchBlock {
  source: string;
  request: BlockRequest;
  verifyingContract: Address;
  /** The signed transactions as served. */
  signed: Uint8Array[];
  freshStore(round: number): Promise<WatcherStore>;
  /** block.get through the watcher's operator client, where there is an operator. */
  download?(): Promise<BlockGetData>;
  close(): Promise<void>;
}

function builtBlock(native: NativeSecp256k1, dir: string): BenchBlock {
  const seed = Number(process.env.VIGIL_BENCH_SEED ?? 1);
  const p = plan(seed, native);
  const payments = signAll(p, native);
  const signed = [
    ...payments,
    ...[...p.fees].map(([token, amount]) => feeClaim(BLKNUM, amount, token)),
  ];
  const hash = bytesToHex(merkleRoot(signed.map((s) => decodeSignedTransaction(s).txBytes)));
  return {
    source: `built here (seed ${seed}): ${fmt(payments.length)} payments in 5 tokens + ${p.fees.size} fee claims`,
    request: { blknum: BLKNUM, hash, ethHeight: 2, timestamp: 2 },
    verifyingContract: VERIFYING_CONTRACT,
    signed,
    freshStore: (round) => fundedStore(dir, round, p),
    close: async () => undefined,
  };
}

/**
 * A devnet whose next block devnet/fill.ts filled with payments, and a store synced to just before
 * it by the real follower and block getter (the getter is kept from the full block meanwhile).
 */
async function devnetBlock(dir: string): Promise<BenchBlock> {
  const log = (m: string) => console.log(`  [devnet] ${m}`);
  const devnet = await startDevnet({
    dataDir: join(dir, 'devnet'),
    fresh: true,
    recoverer: createNativeRecoverer(),
  });
  const closers: (() => unknown)[] = [() => devnet.stop()];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    const started = performance.now();
    const report = await fillBlocks(devnet, { transactions: Math.min(PAYMENTS, 65_531), log });
    const full = report.blocks[0]!;
    log(
      `filled block ${full.blknum} (${fmt(full.transactions)} payments) in ${ms(performance.now() - started)}`,
    );
    const { profile } = devnet;
    const reader = ethereumReaderFor(profile, 30_000);
    closers.push(() => reader.close());
    const config = watcherConfigFor(profile);
    const client = new ChildChainClient({
      url: profile.childChainUrl,
      timeoutMs: 60_000,
      maxResponseBytes: config.maxResponseBytes,
    });
    const file = join(dir, 'synced.sqlite');
    const store = WatcherStore.open(file);
    const deployment = await openDeployment(profile, reader, store);
    const follower = new EthereumFollower(store, reader, deployment, config);
    // The getter syncs up to the block before the previous one; the previous one (the last setup
    // block) is applied in each round before the timed one, so each round's store has just
    // committed it (PREVIOUS).
    const previousBlknum = full.blknum - 1000n;
    const keptBack = new Set<string>([full.root.toLowerCase()]);
    const notYet: BlockSource = {
      blockGet: (hash) =>
        keptBack.has(hash.toLowerCase())
          ? Promise.reject(new ChildChainError('operator_error', 'kept back by the benchmark'))
          : client.blockGet(hash),
    };
    const pool = createRecoveryPool({ warn: () => undefined });
    closers.push(() => pool.close());
    const getter = new BlockGetter(store, notYet, pool, config, {
      verifyingContract: deployment.plasmaFramework,
      childBlockInterval: deployment.childBlockInterval,
    });
    const submitted = (blknum: bigint): BlockRequest | undefined => {
      const record = store
        .events({ names: ['BlockSubmitted'] })
        .find((e) => e.args.blknum === blknum);
      return record && requestOf(record.ethHeight, record.args);
    };
    const syncStarted = performance.now();
    let request: BlockRequest | undefined;
    let previous: BlockRequest | undefined;
    const synced = () => store.lastAppliedBlock() >= previousBlknum - 1000n;
    for (let i = 0; i < 600 && !(request && previous && synced()); i++) {
      await follower.poll();
      previous ??= submitted(previousBlknum);
      if (previous) keptBack.add(previous.hash);
      request ??= submitted(full.blknum);
      if (previous) await getter.poll(); // not before the previous block is kept back
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!request || !previous || store.lastAppliedBlock() !== previousBlknum - 1000n)
      throw new Error('the watcher did not sync the blocks before the filled one');
    log(
      `the watcher synced ${report.setupBlocks.length - 1} of the ${report.setupBlocks.length} setup blocks in ${ms(performance.now() - syncStarted)}`,
    );
    store.close();
    const previousResponse = await client.blockGet(previous.hash);
    const response = await client.blockGet(full.root);
    const previousBlock = previous;
    return {
      source: `devnet/fill.ts: block ${full.blknum} of a devnet, ${fmt(full.transactions)} payments`,
      request,
      verifyingContract: deployment.plasmaFramework,
      signed: response.transactions,
      freshStore: async (round) => {
        const copy = join(dir, `round-${round}.sqlite`);
        copyFileSync(file, copy);
        const roundStore = WatcherStore.open(copy);
        // The previous block, through the getter's path (not timed).
        const writer = workerBlockWriter(roundStore);
        const check = startCheck(previousBlock, previousResponse, {
          verifyingContract: deployment.plasmaFramework,
          recoverer: pool,
        });
        const write = writer.begin(blockHeader(previousBlock, check.txCount));
        const verdict = await checkAndExecute(previousBlock, check, roundStore, write);
        if (!verdict.ok) throw new Error(`block ${previousBlknum} is invalid: ${verdict.message}`);
        await write.commit({ block_getter: previousBlock.ethHeight });
        await writer.close();
        if (PREVIOUS === 'warm') return roundStore;
        roundStore.close();
        return WatcherStore.open(copy);
      },
      download: () => client.blockGet(full.root),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

export async function main(): Promise<void> {
  const loaded = loadNativeSecp256k1();
  if (!loaded.ok) throw new Error(`native secp256k1 does not load: ${loaded.error.message}`);
  const cores = availableParallelism();
  const useDevnet = (process.env.VIGIL_BENCH_BLOCK ?? 'devnet') === 'devnet';
  console.log(
    `bench/watcher-block: Node ${process.versions.node}, ${cores} cores, ${ROUNDS} round(s), previous block ${PREVIOUS}, ${loadNote()}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'vigil-watcher-bench-'));
  let block: BenchBlock | undefined;
  const pool = createRecoveryPool({ threads: cores });
  try {
    block = useDevnet ? await devnetBlock(dir) : builtBlock(loaded.secp256k1, dir);
    const { request, signed } = block;
    const sliceTxs = process.env.VIGIL_BENCH_SLICE
      ? Number(process.env.VIGIL_BENCH_SLICE)
      : undefined;
    const ctx = { verifyingContract: block.verifyingContract, recoverer: pool, sliceTxs };

    // The ceiling's inputs: every signature of the block, parsed, with its digest. The validator
    // recovers a signature repeated across a payment's inputs once (an owner spending several outputs
    // signs once), so the bench also times the bare loop over the distinct signatures alone: the
    // stricter ceiling, the recovery no validator can skip.
    const all = { sigs: [] as Uint8Array[], recids: [] as number[], digests: [] as Uint8Array[] };
    const distinct = {
      sigs: [] as Uint8Array[],
      recids: [] as number[],
      digests: [] as Uint8Array[],
    };
    for (const s of signed) {
      const d = decodeSignedTransaction(s);
      if (d.kind !== 'payment') continue;
      const digest = signingDigest(d.tx, block.verifyingContract);
      d.sigs.forEach((h, j) => {
        const parsed = parseSignature(h)!;
        const into = d.sigs.indexOf(h) === j ? [all, distinct] : [all];
        for (const set of into) {
          set.sigs.push(parsed.compact);
          set.recids.push(parsed.recid);
          set.digests.push(digest);
        }
      });
    }
    const { sigs, recids, digests } = all;
    console.log(`Block: ${block.source}`);
    console.log(
      `  ${fmt(signed.length)} transactions, ${fmt(sigs.length)} signatures, ${fmt(distinct.sigs.length)} distinct within their payments`,
    );

    // This machine's speed drifts (other tenants of the host): each round times both ceilings just
    // before its block, and the round reported is the one whose block did best against its own
    // ceiling, so a block is never set against a ceiling measured in a faster minute.
    let best = {
      cpu: { validate: 0, persist: 0, process: 0, threads: '' },
      gc: { ms: 0, count: 0 },
      total: Infinity,
      validate: 0,
      persist: 0,
      validateStall: 0,
      persistStall: 0,
      ceiling: Infinity,
      strictCeiling: Infinity,
    };
    let checkAlone = Infinity;
    let download = Infinity;
    let worstStall = 0;
    await pool.recoverBatch(
      sigs.slice(0, 4096).map((sig, i) => ({
        digest: digests[i]!,
        sig: Buffer.concat([sig, Buffer.of(27 + recids[i]!)]),
      })),
    ); // warm-up: workers loaded and optimised
    for (let round = 0; round < ROUNDS; round++) {
      const roundCeiling = await bareAllCores(loaded.paths.secp256k1, sigs, recids, digests, cores);
      const roundStrict = await bareAllCores(
        loaded.paths.secp256k1,
        distinct.sigs,
        distinct.recids,
        distinct.digests,
        cores,
      );
      const store = await block.freshStore(round);
      let response: BlockGetData;
      if (block.download) {
        const t = performance.now();
        response = await block.download();
        download = Math.min(download, performance.now() - t);
      } else {
        // As block.get would hand them over: fresh byte arrays.
        response = {
          blknum: request.blknum,
          hash: request.hash,
          transactions: signed.map((s) => Uint8Array.from(s)),
        };
      }
      // Started before the clock, as the watcher starts it once (opening its connection).
      const writer = WRITER === 'worker' ? workerBlockWriter(store) : inlineBlockWriter(store);
      collectGarbage(); // what earlier rounds left is not this round's to collect
      const profiling = PROFILE && round === ROUNDS - 1 ? await startProfile() : undefined;
      const started = performance.now();
      const cpu0 = threadCpuMs();
      const process0 = processCpuMs();
      const threads0 = threadKindsCpuMs();
      const gc = watchGc();
      // The block getter's path: each slice executed as soon as its signers are recovered, its
      // transactions and effects handed to the writer at once.
      const validated = await withStallMonitor(async () => {
        const check = startCheck(request, response, ctx);
        const write = writer.begin(blockHeader(request, check.txCount));
        return { r: await checkAndExecute(request, check, store, write), write };
      });
      const validatedAt = performance.now();
      const cpu1 = threadCpuMs();
      const { r: result, write } = validated.value;
      if (!result.ok) throw new Error(`the bench block is invalid: ${result.message}`);
      const persisted = await withStallMonitor(() =>
        write.commit({ block_getter: request.ethHeight }),
      );
      const total = performance.now() - started;
      const cpu2 = threadCpuMs();
      const process2 = processCpuMs();
      const threads = threadKindsDelta(threads0, threadKindsCpuMs());
      const gcDone = gc.stop();
      if (profiling) await profiling.stop(PROFILE!);
      if (store.lastAppliedBlock() !== request.blknum) throw new Error('the block was not stored');
      await writer.close();
      // For reference: the stateless checks alone (checkBlock), what the whole path overlaps with.
      collectGarbage();
      const alone = await withStallMonitor(() =>
        timedAsync(() => checkBlock(request, response, ctx)),
      );
      if (!alone.value.value.ok)
        throw new Error(`the bench block is invalid: ${alone.value.value.message}`);
      checkAlone = Math.min(checkAlone, alone.value.ms);
      worstStall = Math.max(worstStall, alone.stallMs, validated.stallMs, persisted.stallMs);
      console.log(
        `  round ${round + 1}: whole block ${ms(total)}, ceiling ${ms(roundCeiling)} ` +
          `(${fmt((100 * roundCeiling) / total)}%), distinct ${ms(roundStrict)} (${fmt((100 * roundStrict) / total)}%)`,
      );
      if (best.total === Infinity || total / roundCeiling < best.total / best.ceiling)
        best = {
          ceiling: roundCeiling,
          strictCeiling: roundStrict,
          cpu: {
            validate: cpu1 - cpu0,
            persist: cpu2 - cpu1,
            process: process2 - process0,
            threads,
          },
          gc: gcDone,
          total,
          validate: validatedAt - started,
          persist: total - (validatedAt - started),
          validateStall: validated.stallMs,
          persistStall: persisted.stallMs,
        };
      store.close();
    }

    const { ceiling, strictCeiling } = best;
    const txPerSec = (t: number) => fmt((signed.length * 1000) / t);
    const pct = (t: number) => `${fmt((100 * ceiling) / t)}%`;
    const strictPct = (t: number) => `${fmt((100 * strictCeiling) / t)}%`;
    console.log(
      `\nOne full block through the block getter's path (the best of ${ROUNDS} rounds against its own ceilings)`,
    );
    row('', 'time', 'tx/s', 'vs ceiling', 'vs distinct');
    if (block.download)
      row(
        '(download: block.get + parse, not in the figures below)',
        ms(download),
        txPerSec(download),
      );
    row(
      '(checkBlock alone: decode + recover + Merkle root)',
      ms(checkAlone),
      txPerSec(checkAlone),
      pct(checkAlone),
      strictPct(checkAlone),
    );
    row(
      WRITER === 'worker'
        ? 'validate: check + execute, writer storing each slice'
        : 'validate: check + execute, slices gathered',
      ms(best.validate),
      txPerSec(best.validate),
      pct(best.validate),
      strictPct(best.validate),
    );
    row(
      WRITER === 'worker'
        ? 'commit: the writer worker finishing the transaction'
        : 'commit: the whole block written here, one transaction',
      ms(best.persist),
      txPerSec(best.persist),
    );
    row(
      'whole block: validate + commit',
      ms(best.total),
      txPerSec(best.total),
      pct(best.total),
      strictPct(best.total),
    );
    row(
      `ceiling: bare ecdsaRecover loop on ${cores} raw workers`,
      ms(ceiling),
      txPerSec(ceiling),
      '100%',
    );
    row(
      '  the same over the distinct signatures only',
      ms(strictCeiling),
      txPerSec(strictCeiling),
      '',
      '100%',
    );
    console.log(
      `  targets (issue 6): whole block ≥ 80% of the ceiling: ${(100 * ceiling) / best.total >= 80 ? 'met' : 'NOT met'} (${pct(best.total)}); ` +
        `whole block < 5 s: ${best.total < 5000 ? 'met' : 'NOT met'} (${ms(best.total)})` +
        ` (against the distinct-signature ceiling: ${strictPct(best.total)})`,
    );
    // The 5 s was set for a machine recovering ~17,000 signatures a second per core (the brief's
    // figure for these machines); this one's speed is what the ceiling says. The block's time at
    // that speed, scaled by the ceiling of its own round, for reading figures across machines.
    const perCore = (sigs.length * 1000) / ceiling / cores;
    const scaled = (best.total * perCore) / REFERENCE_RECOVERIES_PER_CORE;
    console.log(
      `  this machine: ${fmt(perCore)} recoveries/s per core in the ceiling's round; at ` +
        `${fmt(REFERENCE_RECOVERIES_PER_CORE)}/s per core the ceiling would take ` +
        `${ms((sigs.length * 1000) / (REFERENCE_RECOVERIES_PER_CORE * cores))} and this block ${ms(scaled)}`,
    );
    console.log(
      `  main thread's CPU time (what load from other processes does not inflate much): ` +
        `${ms(best.cpu.validate)} validating, ${ms(best.cpu.persist)} in commit` +
        ` (total ${ms(best.cpu.validate + best.cpu.persist)})`,
    );
    const { cpu } = best;
    const main = cpu.validate + cpu.persist;
    console.log(
      `  CPU of the whole block, all threads: ${ms(cpu.process)}, ` +
        `${fmt((100 * cpu.process) / (cores * best.total))}% of the ${cores} cores' ${ms(cores * best.total)}: ` +
        `main thread ${ms(main)}, the other threads (recovery workers, store writer, V8's) ${ms(cpu.process - main)}`,
    );
    if (cpu.threads) console.log(`  the same by thread (from /proc, 10 ms ticks): ${cpu.threads}`);
    console.log(
      `  garbage collection on the main thread: ${ms(best.gc.ms)} in ${fmt(best.gc.count)} pauses`,
    );
    console.log(
      `  main thread's longest stall: ${ms(best.validateStall)} validating ` +
        `(worst of all rounds, checkBlock alone included: ${ms(worstStall)}), ${ms(best.persistStall)} in commit (${WRITER})`,
    );
  } finally {
    await pool.close();
    await block?.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nbench/watcher-block done; ${loadNote()}`);
}

// Run alone, it re-executes Node with the watcher's heap flags first, as `npm run bench` does.
if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  !reexecWithV8Flags()
)
  await main();
