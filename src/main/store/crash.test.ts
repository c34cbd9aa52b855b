// Crash safety, tested the blunt way: a child process applies a long synthetic chain to a database
// file and is killed with SIGKILL at random moments, then restarted, resuming from what the store
// holds. After every kill the store must be consistent (each block with its synced height), and at
// the end it must hold exactly what an uninterrupted run holds (same stateDigest).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from './errors';
import { WatcherStore } from './store';
import { Rng, TEST_DEPLOYMENT, applyStep, syntheticChain } from './testing/synthetic';
import { tempDir } from './testing/tmp';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./testing/crash-child.ts', import.meta.url));
const CHAIN = { seed: 4242, heights: 250, txPerBlock: 60 };
const KILLS = 10;

const tmp = tempDir('vigil-crash-');
afterAll(() => tmp.remove());

interface Run {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed) and everything the child printed. */
  exited: Promise<{ code: number | null; out: string }>;
  /** Resolves once the child has applied `steps` steps in this run (or exited). */
  applied: Promise<void>;
}

function runChild(path: string, steps = Infinity): Run {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CHILD,
      path,
      String(CHAIN.seed),
      String(CHAIN.heights),
      String(CHAIN.txPerBlock),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let onApplied: () => void = () => {};
  const applied = new Promise<void>((resolve) => (onApplied = resolve));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if ((out.match(/applied/g)?.length ?? 0) >= steps) onApplied();
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('exit', (code) => {
      onApplied();
      resolve({ code, out });
    }),
  );
  return { child, exited, applied };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What must hold after any crash: every block came with its height, every deposit batch with its. */
function checkConsistent(path: string): bigint {
  const store = WatcherStore.open(path);
  try {
    const last = store.lastAppliedBlock();
    expect(store.getHeight('block_getter') ?? 0).toBe(Number(last / 1000n));
    const maxDeposit = store.db.prepare('SELECT max(eth_height) FROM deposits').pluck().get();
    expect(maxDeposit ?? 0).toBe(store.getHeight('depositor') ?? 0);
    return last;
  } finally {
    store.close();
  }
}

describe('crash safety', () => {
  it('survives SIGKILL at random moments and ends with the state of an uninterrupted run', async () => {
    const reference = WatcherStore.open(tmp.file('reference.sqlite'));
    reference.assertDeployment(TEST_DEPLOYMENT);
    for (const step of syntheticChain(CHAIN)) applyStep(reference, step);
    const expected = reference.stateDigest();
    reference.close();

    const seed = Number(process.env.VIGIL_CRASH_SEED ?? Date.now() % 1_000_000);
    const rng = new Rng(seed);
    const path = tmp.file('crashed.sqlite');
    let resumedFrom = 0n;
    let killedMidRun = 0;
    for (let k = 0; k < KILLS; k++) {
      // Kill after a random number of steps and a few random milliseconds more: by the time the
      // report reaches us the child is already inside a later step, at a point nobody chose.
      // Counting steps rather than waiting a fixed time spreads the kills over the chain however
      // fast or loaded the machine is.
      const run = runChild(path, rng.int(1, 12));
      await run.applied;
      await sleep(rng.int(0, 4));
      run.child.kill('SIGKILL');
      const { code, out } = await run.exited;
      if (code === null) killedMidRun++;
      else expect(out, `seed ${seed}: the child failed on its own`).toContain('done');
      const last = checkConsistent(path);
      expect(last, `seed ${seed}: a restart lost applied blocks`).toBeGreaterThanOrEqual(
        resumedFrom,
      );
      resumedFrom = last;
    }
    const final = runChild(path);
    const { code, out } = await final.exited;
    expect(code, `seed ${seed}: ${out}`).toBe(0);

    const store = WatcherStore.open(path);
    expect(store.lastAppliedBlock()).toBe(BigInt(CHAIN.heights * 1000));
    expect(store.stateDigest(), `seed ${seed}`).toBe(expected);
    store.close();
    // The kills must actually have interrupted work for this test to mean anything.
    expect(killedMidRun, `seed ${seed}`).toBeGreaterThanOrEqual(KILLS / 2);
  }, 90_000);

  it('refuses, after all that, to serve another deployment from the same file', () => {
    const path = tmp.file('crashed.sqlite');
    const store = WatcherStore.open(path);
    try {
      expect(() =>
        store.assertDeployment({
          ...TEST_DEPLOYMENT,
          paymentExitGame: '0x00000000000000000000000000000000000e8104',
        }),
      ).toThrow(
        /Refuses a database that belongs to another deployment: .*crashed\.sqlite.*payment exit game/,
      );
    } finally {
      store.close();
    }
  });

  it('refuses a file that is not a database with corrupt_database, and does not overwrite it', () => {
    const path = tmp.file('notes.txt');
    const content = Buffer.from(
      '{"this": "is a JSON file someone pointed Vigil at"}\n'.repeat(100),
    );
    writeFileSync(path, content);
    let error: unknown;
    try {
      WatcherStore.open(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('corrupt_database');
    expect((error as StoreError).message).toContain(path);
    expect(readFileSync(path).equals(content)).toBe(true);
  });
});
