// The watcher's catch-up (issue 6, Performance): a fresh watcher store synced over a devnet chain of
// 1,000 blocks of 1,000 payments by the real watcher (openWatcher: follower, block getter, native
// recovery pool, SQLite store), with transactions/s and the process's PEAK RSS (target: under
// 400 MB), beside two baselines from the same run: the RSS of the same process idle before syncing,
// and the bare all-cores native recovery ceiling over the signatures of sampled filled blocks.
//
// The chain: devnet/fill.ts makes it (a deposit split 1 → 4 over a few big setup blocks, then the
// filled blocks); that takes many minutes, so it is built once into bench/.cache/catchup-…/ (anvil
// --state + the operator's SQLite, stopped cleanly, then a manifest) and reused while the manifest
// matches the size. The watcher must apply the setup blocks too (the filled blocks spend their
// outputs), so the figures are split: setup blocks, then the filled blocks alone.
//
// The watcher runs in a child process of its own, so the devnet's operator (in this process) and the
// filler never count in its RSS. Ethereum stands still (ethBlockMs 0) while it syncs.
//
// Run alone: `npx tsx bench/watcher-catchup.ts [--full | --quick | --blocks n --txs m] [--rebuild]`.
// `npm run bench` measures the full size when its cache exists, else the quick size (50 × 200),
// unless VIGIL_BENCH_CATCHUP=full|quick|<blocks>x<txs> says otherwise.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Devnet } from '../devnet/network';
import { loadNativeSecp256k1 } from '../src/main/crypto/native-secp256k1';
import { createNativeRecoverer } from '../src/main/crypto/native-recoverer';
import { readNetworkProfile } from '../src/main/network/profile';
import type { BlockToApply } from '../src/main/store';
import { ChildChainClient } from '../src/main/watcher/child-chain-client';
import { openWatcher } from '../src/main/watcher/open';
import { signingDigest } from '../src/plasma/eip712';
import { parseSignature } from '../src/plasma/recover';
import { decodeSignedTransaction } from '../src/plasma/tx';
import type { Address } from '../src/plasma/types';
import { bareAllCores, loadNote } from './plasma';

interface Size {
  blocks: number;
  txs: number;
}
const FULL: Size = { blocks: 1000, txs: 1000 };
const QUICK: Size = { blocks: 50, txs: 200 };
const OWNERS = 512;
const FORMAT = 1;
const TARGET_RSS_MB = 400;
/** Filled blocks whose signatures the ceiling recovers (evenly spread). */
const CEILING_SAMPLE_BLOCKS = 20;
const HERE = dirname(fileURLToPath(import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);

interface Manifest {
  format: number;
  blocks: number;
  txs: number;
  owners: number;
  setupBlocks: string[];
  /** The filled blocks, in order: number and root. */
  filled: { blknum: string; root: string }[];
  fillMs: number;
  builtAt: string;
}

/** What the sync child reports. */
interface SyncResult {
  idleRssMb: number;
  openedRssMb: number;
  peakRssMb: number;
  peakRssSetupMb: number;
  peakRssFilledMb: number;
  maxRssMb: number;
  totalMs: number;
  setup: { blocks: number; txs: number; ms: number };
  filled: { blocks: number; txs: number; ms: number };
  rounds: number;
  lastApplied: string;
  status: string;
  storeMb: number;
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes: number): number => bytes / 2 ** 20;
const secs = (ms: number): string => `${fmt(ms / 1000, 1)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const row = (label: string, ...cells: string[]): void =>
  console.log(`  ${label.padEnd(50)}${cells.map((c) => c.padStart(13)).join('')}`);

// ---------------------------------------------------------------------------------------------
// Which size, and its cache.

function parseSize(text: string): Size | undefined {
  if (text === 'full') return FULL;
  if (text === 'quick') return QUICK;
  const m = /^(\d+)x(\d+)$/.exec(text);
  return m ? { blocks: Number(m[1]), txs: Number(m[2]) } : undefined;
}

function cacheDir(size: Size): string {
  return join(HERE, '.cache', `catchup-v${FORMAT}-${size.blocks}x${size.txs}`);
}

function readManifest(size: Size): Manifest | undefined {
  const file = join(cacheDir(size), 'manifest.json');
  if (!existsSync(file)) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    const ok =
      m.format === FORMAT &&
      m.blocks === size.blocks &&
      m.txs === size.txs &&
      m.owners === OWNERS &&
      Array.isArray(m.filled) &&
      m.filled.length === size.blocks;
    return ok ? m : undefined;
  } catch {
    return undefined;
  }
}

interface Options {
  size: Size;
  rebuild: boolean;
  why: string;
}

function options(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const rebuild = argv.includes('--rebuild');
  const blocks = value('--blocks');
  const txs = value('--txs');
  if (blocks !== undefined || txs !== undefined) {
    const size = { blocks: Number(blocks ?? FULL.blocks), txs: Number(txs ?? FULL.txs) };
    if (![size.blocks, size.txs].every((n) => Number.isSafeInteger(n) && n >= 1))
      throw new RangeError('--blocks and --txs must be whole numbers ≥ 1.');
    return { size, rebuild, why: 'asked for on the command line' };
  }
  if (argv.includes('--full')) return { size: FULL, rebuild, why: 'asked for (--full)' };
  if (argv.includes('--quick')) return { size: QUICK, rebuild, why: 'asked for (--quick)' };
  const env = process.env.VIGIL_BENCH_CATCHUP;
  if (env) {
    const size = parseSize(env);
    if (!size) throw new RangeError(`VIGIL_BENCH_CATCHUP must be full, quick or <blocks>x<txs>.`);
    return { size, rebuild, why: `VIGIL_BENCH_CATCHUP=${env}` };
  }
  return readManifest(FULL)
    ? { size: FULL, rebuild, why: 'the full-size chain is cached' }
    : {
        size: QUICK,
        rebuild,
        why:
          'QUICK size: no full-size chain is cached and building one takes 15+ minutes ' +
          '(run `npx tsx bench/watcher-catchup.ts --full` once to build and measure it)',
      };
}

// ---------------------------------------------------------------------------------------------
// Building the chain (once per size).

// The devnet modules load only in this process, never in the sync child: they pull in the
// operator and solc (over 100 MB), which would count in the watcher's RSS.
async function devnetAt(dir: string, fresh: boolean): Promise<Devnet> {
  const { startDevnet } = await import('../devnet/network');
  return startDevnet({
    dataDir: join(dir, 'devnet'),
    fresh,
    ethBlockMs: 0, // Ethereum moves only with the filler's transactions
    recoverer: createNativeRecoverer(),
  });
}

async function build(size: Size): Promise<Manifest> {
  const dir = cacheDir(size);
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `Building the chain: ${fmt(size.blocks)} blocks × ${fmt(size.txs)} payments in ${dir}`,
  );
  const started = performance.now();
  const devnet = await devnetAt(dir, true);
  const { fillBlocks } = await import('../devnet/fill');
  let report;
  try {
    let filledSoFar = 0;
    report = await fillBlocks(devnet, {
      transactions: size.txs,
      blocks: size.blocks,
      owners: OWNERS,
      timeoutMs: 300_000,
      log: (m) => {
        if (!m.startsWith('filled block ')) return console.log(`  [fill] ${m}`);
        filledSoFar++;
        if (filledSoFar % 100 === 0 || filledSoFar === size.blocks)
          console.log(
            `  [fill] ${fmt(filledSoFar)}/${fmt(size.blocks)} blocks filled (${secs(performance.now() - started)})`,
          );
      },
    });
  } finally {
    await devnet.stop(); // SIGTERM to anvil: --state is written on exit
  }
  const fillMs = performance.now() - started;
  const manifest: Manifest = {
    format: FORMAT,
    blocks: size.blocks,
    txs: size.txs,
    owners: OWNERS,
    setupBlocks: report.setupBlocks.map(String),
    filled: report.blocks.map((b) => ({ blknum: String(b.blknum), root: b.root })),
    fillMs,
    builtAt: new Date().toISOString(),
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(
    `Built in ${secs(fillMs)} (setup ${secs(report.setupMs)}: ${report.setupBlocks.length} setup blocks; ` +
      `${fmt(size.blocks)} filled blocks); cached for later runs. ${loadNote()}`,
  );
  return manifest;
}

/** The kernel's split of this process's RSS (Linux): anonymous memory vs mapped files (the binary, SQLite). */
function rssParts(): string {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return `anon ${fmt(kb('RssAnon') / 1024)} MB, files ${fmt(kb('RssFile') / 1024)} MB`;
  } catch {
    return 'no /proc';
  }
}

// ---------------------------------------------------------------------------------------------
// The sync, in a child process: a fresh store, rounds until caught up, RSS sampled every 50 ms.

async function syncChild(profilePath: string, manifest: Manifest): Promise<SyncResult> {
  const rss = () => process.memoryUsage().rss;
  const firstFilled = BigInt(manifest.filled[0]!.blknum);
  const lastFilled = BigInt(manifest.filled.at(-1)!.blknum);
  let phase: 'setup' | 'filled' = 'setup';
  const peak = { all: 0, setup: 0, filled: 0 };
  const sample = () => {
    const r = rss();
    peak.all = Math.max(peak.all, r);
    peak[phase] = Math.max(peak[phase], r);
  };
  global.gc?.();
  await sleep(200);
  const idle = rss();
  const sampler = setInterval(sample, 50);
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-catchup-'));
  try {
    const profile = readNetworkProfile(profilePath);
    const watcher = await openWatcher({
      profile,
      dataDir,
      // The devnet's defaults (10 s per request, withholding after 3 s) are for tests of small
      // blocks; block.get of a 60,000-payment setup block can take longer on a busy machine.
      config: { requestTimeoutMs: 300_000, maximumBlockWithholdingMs: 3_600_000 },
      log: (m) => console.log(`    [watcher] ${m}`),
    });
    const opened = rss();
    // Timestamps of the phases, taken as the store applies each block (exact, not per round).
    const setup = { blocks: 0, txs: 0, ms: 0 };
    const filled = { blocks: 0, txs: 0, ms: 0 };
    const store = watcher.store;
    const apply = store.applyBlock.bind(store);
    const started = performance.now();
    let setupDoneAt = started;
    store.applyBlock = (block: BlockToApply, ...rest) => {
      apply(block, ...rest);
      const part = block.blknum < firstFilled ? setup : filled;
      part.blocks++;
      part.txs += block.transactions.length;
      if (block.blknum === firstFilled - 1000n) {
        sample();
        setupDoneAt = performance.now();
        setup.ms = setupDoneAt - started;
        phase = 'filled';
      }
      if (block.blknum === lastFilled) filled.ms = performance.now() - setupDoneAt;
    };
    let rounds = 0;
    let lastProgress = performance.now();
    let lastLine = 0;
    let previous = -1n;
    let snap = watcher.snapshot();
    try {
      for (;;) {
        snap = await watcher.round();
        rounds++;
        const applied = snap.getter?.lastAppliedBlock ?? 0n;
        const mined = snap.ethereum?.lastMinedChildBlock ?? 0n;
        if (snap.getter?.halted || snap.status.kind === 'invalid')
          throw new Error(`the watcher halted: ${JSON.stringify(snap.status)}`);
        if (applied >= lastFilled && applied === mined && snap.ethereum?.caughtUp) break;
        if (applied !== previous) lastProgress = performance.now();
        else if (performance.now() - lastProgress > 180_000)
          throw new Error(
            `no progress for 3 minutes at block ${applied}: ${snap.getter?.error ?? snap.ethereum?.error ?? ''}`,
          );
        else await sleep(100);
        previous = applied;
        if (performance.now() - lastLine > Number(process.env.VIGIL_BENCH_PROGRESS_MS ?? 10_000)) {
          lastLine = performance.now();
          console.log(
            `    block ${applied} of ${mined}: ${fmt(snap.getter?.appliedTransactions ?? 0)} txs in ` +
              `${secs(lastLine - started)}, RSS ${fmt(mb(rss()))} MB (peak ${fmt(mb(peak.all))} MB; ` +
              `heap ${fmt(mb(process.memoryUsage().heapUsed))} MB, buffers ${fmt(mb(process.memoryUsage().arrayBuffers))} MB; ${rssParts()})`,
          );
        }
      }
    } finally {
      await watcher.stop();
    }
    const totalMs = performance.now() - started;
    sample();
    const storeBytes = readdirSync(dataDir).reduce(
      (n, f) => n + statSync(join(dataDir, f)).size,
      0,
    );
    return {
      idleRssMb: mb(idle),
      openedRssMb: mb(opened),
      peakRssMb: mb(peak.all),
      peakRssSetupMb: mb(peak.setup),
      peakRssFilledMb: mb(peak.filled),
      maxRssMb: process.resourceUsage().maxRSS / 1024, // kilobytes
      totalMs,
      setup,
      filled,
      rounds,
      lastApplied: String(snap.getter?.lastAppliedBlock ?? 0n),
      status: snap.status.kind,
      storeMb: mb(storeBytes),
    };
  } finally {
    clearInterval(sampler);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs syncChild in a fresh Node process (same loader as this one) and returns its result. */
function syncInChild(profilePath: string, manifest: Manifest): Promise<SyncResult> {
  return new Promise((resolve, reject) => {
    const child = fork(THIS_FILE, ['--sync-child'], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: SyncResult | undefined;
    let failure: string | undefined;
    child.on('message', (m: { result?: SyncResult; error?: string; ready?: true }) => {
      if (m.ready) child.send({ profilePath, manifest });
      if (m.result) result = m.result;
      if (m.error) failure = m.error;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (result) resolve(result);
      else
        reject(new Error(failure ?? `the sync process ended (${signal ?? code}) without a result`));
    });
  });
}

async function childMain(): Promise<void> {
  const send = (m: object) =>
    new Promise<void>((resolve) => process.send!(m, undefined, {}, () => resolve()));
  const job = await new Promise<{ profilePath: string; manifest: Manifest }>((resolve) => {
    process.once('message', resolve);
    void send({ ready: true });
  });
  try {
    await send({ result: await syncChild(job.profilePath, job.manifest) });
  } catch (e) {
    await send({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
  process.disconnect();
}

// ---------------------------------------------------------------------------------------------
// The ceiling: bare ecdsaRecover on every core over the signatures of sampled filled blocks.

async function recoveryCeiling(
  devnet: Devnet,
  manifest: Manifest,
): Promise<{ txs: number; sigs: number; ms: number }> {
  const loaded = loadNativeSecp256k1();
  if (!loaded.ok) throw new Error(`native secp256k1 does not load: ${loaded.error.message}`);
  const client = new ChildChainClient({
    url: devnet.profile.childChainUrl,
    timeoutMs: 60_000,
    maxResponseBytes: 256 * 2 ** 20,
  });
  const framework = devnet.profile.contracts.plasmaFramework.toLowerCase() as Address;
  const step = Math.max(1, Math.floor(manifest.filled.length / CEILING_SAMPLE_BLOCKS));
  const sample = manifest.filled.filter((_, i) => i % step === 0).slice(0, CEILING_SAMPLE_BLOCKS);
  const sigs: Uint8Array[] = [];
  const recids: number[] = [];
  const digests: Uint8Array[] = [];
  let txs = 0;
  for (const { root } of sample) {
    const block = await client.blockGet(root as `0x${string}`);
    for (const bytes of block.transactions) {
      const decoded = decodeSignedTransaction(bytes);
      if (decoded.kind !== 'payment') continue;
      txs++;
      const digest = signingDigest(decoded.tx, framework);
      decoded.sigs
        .map((sig) => parseSignature(sig))
        .forEach((parsed) => {
          if (!parsed) throw new Error('a filled block holds an unparsable signature');
          sigs.push(parsed.compact);
          recids.push(parsed.recid);
          digests.push(digest);
        });
    }
  }
  const cores = availableParallelism();
  let ms = Infinity;
  for (let round = 0; round < 2; round++)
    ms = Math.min(ms, await bareAllCores(loaded.paths.secp256k1, sigs, recids, digests, cores));
  return { txs, sigs: sigs.length, ms };
}

// ---------------------------------------------------------------------------------------------

export async function main(argv: readonly string[] = []): Promise<void> {
  const { size, rebuild, why } = options(argv);
  console.log(
    `bench/watcher-catchup: Node ${process.versions.node}, ${availableParallelism()} cores, ${loadNote()}`,
  );
  console.log(`Size: ${fmt(size.blocks)} blocks × ${fmt(size.txs)} payments — ${why}`);
  const cached = rebuild ? undefined : readManifest(size);
  const manifest = cached ?? (await build(size));
  if (cached)
    console.log(
      `Chain reused from ${cacheDir(size)} (built ${cached.builtAt}, fill took ${secs(cached.fillMs)})`,
    );
  const devnet = await devnetAt(cacheDir(size), false);
  let result: SyncResult;
  let ceiling: Awaited<ReturnType<typeof recoveryCeiling>>;
  try {
    console.log('Syncing a fresh watcher store in a child process…');
    result = await syncInChild(devnet.profilePath, manifest);
    ceiling = await recoveryCeiling(devnet, manifest);
  } finally {
    await devnet.stop();
  }
  if (result.lastApplied !== manifest.filled.at(-1)!.blknum || result.status !== 'valid')
    throw new Error(`the sync ended at block ${result.lastApplied}, status ${result.status}`);

  const perSec = (n: number, ms: number) => fmt((n * 1000) / ms);
  const { setup, filled } = result;
  const all = { blocks: setup.blocks + filled.blocks, txs: setup.txs + filled.txs };
  const ceilingTxs = (ceiling.txs * 1000) / ceiling.ms;
  console.log(
    `\nCatch-up of a fresh watcher store (${result.rounds} rounds; store ${fmt(result.storeMb)} MB on disk)`,
  );
  row('', 'blocks', 'txs', 'seconds', 'blocks/s', 'tx/s');
  const line = (label: string, p: { blocks: number; txs: number }, ms: number) =>
    row(
      label,
      fmt(p.blocks),
      fmt(p.txs),
      fmt(ms / 1000, 1),
      perSec(p.blocks, ms),
      perSec(p.txs, ms),
    );
  line(`setup blocks (the filler's 1 → 4 splits)`, setup, setup.ms);
  line(`filled blocks (${fmt(size.txs)} payments each)`, filled, filled.ms);
  line('whole chain', all, result.totalMs);
  row(
    `ceiling: bare ecdsaRecover, ${availableParallelism()} workers (${fmt(ceiling.sigs)} sigs)`,
    '',
    fmt(ceiling.txs),
    fmt(ceiling.ms / 1000, 2),
    '',
    fmt(ceilingTxs),
  );
  console.log(
    `  filled blocks at ${fmt((100 * filled.txs * 1000) / filled.ms / ceilingTxs)}% of the recovery ceiling`,
  );
  console.log('\nMemory of the watcher process');
  row('', 'MB');
  row('baseline: idle, before opening the watcher', fmt(result.idleRssMb));
  row('opened (store, recovery workers), before syncing', fmt(result.openedRssMb));
  row('peak RSS while applying setup blocks (50 ms samples)', fmt(result.peakRssSetupMb));
  row('peak RSS while applying filled blocks (50 ms samples)', fmt(result.peakRssFilledMb));
  row('peak RSS, whole sync (50 ms samples)', fmt(result.peakRssMb));
  row('maxRSS (process.resourceUsage, whole process life)', fmt(result.maxRssMb));
  const worst = Math.max(result.peakRssMb, result.maxRssMb);
  console.log(
    `  target: peak RSS < ${TARGET_RSS_MB} MB: ${worst < TARGET_RSS_MB ? 'met' : 'NOT met'} ` +
      `(${fmt(worst)} MB, ${fmt(worst - result.idleRssMb)} MB above idle)`,
  );
  console.log(
    `\nbench/watcher-catchup done: measured ${fmt(size.blocks)} × ${fmt(size.txs)} (${why}); ${loadNote()}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--sync-child')) await childMain();
  else await main(process.argv.slice(2));
}
