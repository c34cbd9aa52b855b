// The headless watcher as a user runs it (`npm run watcher`), as a child process against a real
// devnet: it syncs and serves status.get; Ctrl-C stops it cleanly; a bad profile gets one sentence;
// and the crash test of issue 6: killed with SIGKILL at random moments while syncing a long chain and
// restarted each time, it ends with the same state digest as a run that was never interrupted.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillBlocks } from '../../../devnet/fill';
import { isAlive } from '../../../devnet/anvil';
import { startDevnet, type Devnet } from '../../../devnet/network';
import { parseJson } from '../api/json';
import { readNetworkProfile } from '../network/profile';
import { WatcherStore } from '../store';
import { databaseFile } from '../watcher/open';
import { WATCHER_V8_FLAGS } from './v8-flags';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'src/main/headless/cli.ts');

interface Running {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the API URL once the watcher prints it. */
  api: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runWatcher(args: string[]): Running {
  // Node itself with tsx's loader (not the tsx launcher, which runs the script in a child of its
  // own): a SIGKILL must hit the watcher, not a wrapper that would leave it running.
  // Ethereum stands still in these tests (no heartbeat), which must not read as a stalled node.
  // With the watcher's V8 flags, as `npm run watcher` (launch.ts) runs it.
  const argv = [
    ...WATCHER_V8_FLAGS,
    '--import',
    'tsx',
    CLI,
    '--port',
    '0',
    '--stalled-sync',
    '3600',
    ...args,
  ];
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let found: (url: string) => void = () => {};
  const api = new Promise<string>((r) => (found = r));
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    const m = /Watcher API: (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
    if (m) found(m[1]!);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal })),
  );
  return { child, output: () => text, api, exited };
}

let lastAnswer = '';

async function status(url: string): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await fetch(`${url}/status.get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const text = await res.text();
    lastAnswer = text.slice(0, 2000);
    const body = parseJson(text) as { success: boolean; data: Record<string, unknown> };
    return body.success ? body.data : undefined;
  } catch {
    return undefined;
  }
}

/** Polls status.get until the watcher has validated `blknum` and every follower reached `height`. */
async function syncedTo(url: string, blknum: bigint, height: number): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const s = await status(url);
    const heights = (s?.services_synced_heights ?? []) as { service: string; height: number }[];
    if (
      s &&
      BigInt(s.last_validated_child_block_number as number) >= blknum &&
      heights.length > 1 &&
      heights.every((h) => h.height >= height - 2)
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the watcher did not sync to block ${blknum}; it last said ${lastAnswer}`);
}

function digestOf(dataDir: string, profilePath: string): string {
  const store = WatcherStore.open(databaseFile(dataDir, readNetworkProfile(profilePath)));
  try {
    return store.stateDigest();
  } finally {
    store.close();
  }
}

let dir: string;
let devnet: Devnet;
let profilePath: string;
let lastBlock: bigint;
let head: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-headless-'));
  const devnetDir = join(dir, 'devnet');
  // Build a long chain, then restart the devnet without its Ethereum heartbeat so the chain stands
  // still: two runs that sync it fully must then end in exactly the same state.
  const building = await startDevnet({ dataDir: devnetDir, fresh: true, blockIntervalMs: 200 });
  const report = await fillBlocks(building, { transactions: 300, blocks: 20, owners: 64 });
  lastBlock = report.blocks[report.blocks.length - 1]!.blknum;
  await building.stop();
  devnet = await startDevnet({ dataDir: devnetDir, ethBlockMs: 0, blockIntervalMs: 200 });
  profilePath = devnet.profilePath;
  head = Number(await devnet.operator.link.provider.getBlockNumber());
}, 300_000);

afterAll(async () => {
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run watcher', () => {
  it('syncs a devnet, serves status.get, and stops cleanly on Ctrl-C', async () => {
    const data = join(dir, 'clean');
    const w = runWatcher(['--network', profilePath, '--data-dir', data]);
    const url = await w.api;
    await syncedTo(url, lastBlock, head);
    const s = (await status(url))!;
    expect(s.byzantine_events).toEqual([]);
    expect((s.vigil_status as { kind: string }).kind).toBe('valid');
    w.child.kill('SIGINT');
    expect(await w.exited).toEqual({ code: 0, signal: null });
    expect(w.output()).toMatch(
      /Chain status: (syncing → )?valid\. Every block up to \d+ is valid\./,
    );
    expect(w.output()).toMatch(/Stopped\./);
  }, 300_000);

  it('says in one sentence what is wrong with a bad profile', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"version": 1, "name": 5}');
    const w = runWatcher(['--network', bad, '--data-dir', join(dir, 'bad')]);
    const { code } = await w.exited;
    expect(code).toBe(1);
    expect(w.output()).not.toMatch(/\n\s+at /); // no stack trace
    expect(w.output()).toMatch(/bad\.json/);
  });

  it('refuses a database made for another deployment', async () => {
    const data = join(dir, 'clean');
    const other = JSON.parse(readFileSync(profilePath, 'utf8')) as { frameworkDeployTx: string };
    // Same addresses, another deployment transaction: the database of the first run must be refused.
    other.frameworkDeployTx = `0x${'77'.repeat(32)}`;
    const otherPath = join(dir, 'other.json');
    writeFileSync(otherPath, JSON.stringify(other));
    const w = runWatcher(['--network', otherPath, '--data-dir', data]);
    const { code } = await w.exited;
    expect(code).toBe(1);
    expect(w.output()).toMatch(/Cannot start the watcher/);
  });

  it('ends in the same state after SIGKILLs at random moments as without them', async () => {
    const reference = digestOf(join(dir, 'clean'), profilePath);
    const data = join(dir, 'crashed');
    let seed = 0x5eed;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let kills = 0;
    let midSync = 0;
    for (let i = 0; i < 6; i++) {
      const w = runWatcher(['--network', profilePath, '--data-dir', data]);
      const url = await w.api;
      // Kill somewhere in the sync (a few blocks are validated per 100 ms here), noting whether the
      // sync was still under way, so the test proves it interrupted real work.
      await new Promise((r) => setTimeout(r, random() * 800));
      const s = await status(url);
      if (!s || BigInt(s.last_validated_child_block_number as number) < lastBlock) midSync += 1;
      w.child.kill('SIGKILL');
      const { signal } = await w.exited;
      if (signal === 'SIGKILL') kills += 1;
    }
    expect(kills).toBe(6);
    expect(midSync).toBeGreaterThanOrEqual(3);
    expect(existsSync(databaseFile(data, readNetworkProfile(profilePath)))).toBe(true);
    const w = runWatcher(['--network', profilePath, '--data-dir', data]);
    await syncedTo(await w.api, lastBlock, head);
    w.child.kill('SIGINT');
    expect((await w.exited).code).toBe(0);
    expect(digestOf(data, profilePath)).toBe(reference);
  }, 300_000);

  it('starts a devnet of its own when given no profile, and leaves no anvil behind', async () => {
    const data = join(dir, 'own');
    const w = runWatcher(['--data-dir', data]);
    const url = await w.api;
    let s: Record<string, unknown> | undefined;
    for (let i = 0; i < 200 && !s; i++) {
      s = await status(url);
      if (!s) await new Promise((r) => setTimeout(r, 100));
    }
    expect(s?.contract_addr).toBeDefined();
    const own = readNetworkProfile(join(data, 'devnet', 'network.json'));
    expect(own.chainId).toBe(31337);
    const pid = Number(readFileSync(join(data, 'devnet', 'anvil.pid'), 'utf8'));
    expect(isAlive(pid)).toBe(true);
    w.child.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
    for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(false);
  });
});
