import { readFileSync, readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Address } from '../../plasma/types';
import { jsRecoverer } from '../../plasma/recover';
import type { RecoveryItem } from './native-recoverer';
import {
  RecoveryPoolError,
  crashWorkerForTesting,
  createRecoveryPool,
  type RecoveryPool,
} from './recovery-pool';
import { loadNativeSecp256k1 } from './native-secp256k1';
import { mixedBatch } from './test-signatures';

describe('recovery pool', () => {
  let items: RecoveryItem[];
  let expected: (Address | null)[];
  let pool: RecoveryPool;

  beforeAll(async () => {
    items = mixedBatch(600, 0xbeef);
    expected = await jsRecoverer.recoverBatch(items);
    // Small chunks so one batch spans many chunks and both workers.
    pool = createRecoveryPool({ threads: 2, chunkSize: 16 });
  });
  afterAll(() => pool.close());

  it('runs natively on the requested number of workers', () => {
    expect(pool.native).toBe(true);
    expect(pool.threads).toBe(2);
  });

  it('recovers exactly what the JS recoverer recovers, in the same order across chunks', async () => {
    expect(await pool.recoverBatch(items)).toEqual(expected);
    // 600 items in chunks of 16: both workers took a share.
    const { chunks } = pool.stats();
    expect(chunks.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(Math.ceil(600 / 16));
    expect(Math.min(...chunks)).toBeGreaterThan(0);
    // …and both hashed the public keys with the library's Keccak, not noble's fallback.
    expect(pool.stats().fastKeccakWorkers).toBe(2);
  });

  it.runIf(process.platform === 'linux')(
    'runs its workers five nice levels below this thread (Linux), and leaves them alone with niceness 0',
    async () => {
      // Each thread's nice value is field 19 of /proc/self/task/<tid>/stat (after the name in parentheses).
      const niceOfThreads = () =>
        readdirSync('/proc/self/task').map((tid) => {
          const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
        });
      const base = getPriority();
      expect(pool.stats().lowPriorityWorkers).toBe(2);
      expect(
        niceOfThreads().filter((n) => n === Math.min(19, base + 5)).length,
      ).toBeGreaterThanOrEqual(2);
      const before = niceOfThreads().filter((n) => n !== base).length;
      const plain = createRecoveryPool({ threads: 2, niceness: 0 });
      try {
        await plain.recoverBatch(items.slice(0, 4)); // both workers have started
        expect(plain.stats().lowPriorityWorkers).toBe(0);
        expect(niceOfThreads().filter((n) => n !== base).length).toBe(before);
      } finally {
        await plain.close();
      }
      expect(() => createRecoveryPool({ niceness: 20 })).toThrow(/niceness must be/);
    },
  );

  it('keeps concurrent batches apart and each in order', async () => {
    const [a, b, c] = await Promise.all([
      pool.recoverBatch(items),
      pool.recoverBatch(items.slice(100, 137)),
      pool.recoverBatch(items.slice(5, 6)),
    ]);
    expect(a).toEqual(expected);
    expect(b).toEqual(expected.slice(100, 137));
    expect(c).toEqual(expected.slice(5, 6));
  });

  it('handles batches that do not fill a chunk, or fill one exactly', async () => {
    const odd = createRecoveryPool({ threads: 3, chunkSize: 7 });
    try {
      for (const n of [1, 6, 7, 8, 14, 15, 22])
        expect(await odd.recoverBatch(items.slice(0, n))).toEqual(expected.slice(0, n));
    } finally {
      await odd.close();
    }
  });

  it('returns an empty result for an empty batch', async () => {
    expect(await pool.recoverBatch([])).toEqual([]);
  });

  it('rejects a batch with a malformed digest and goes on serving others', async () => {
    const bad = [...items.slice(0, 40), { digest: new Uint8Array(31), sig: items[0]!.sig }];
    await expect(pool.recoverBatch(bad)).rejects.toThrow(/digest must be 32 bytes/);
    expect(await pool.recoverBatch(items.slice(0, 50))).toEqual(expected.slice(0, 50));
  });

  it.each(['throw', 'exit'] as const)(
    'rejects the batch a worker crashes on (%s), then respawns it',
    async (mode) => {
      crashWorkerForTesting(pool, mode, 0);
      const error = await pool.recoverBatch(items).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RecoveryPoolError);
      expect((error as RecoveryPoolError).code).toBe('recovery_worker_crashed');
      expect((error as Error).message).toMatch(
        mode === 'throw' ? /threw recovery worker crash requested/ : /exited with code 70/,
      );
      // The replacement worker and the survivor serve the retry.
      expect(await pool.recoverBatch(items)).toEqual(expected);
      expect(pool.threads).toBe(2);
    },
  );

  it('close() rejects batches still running, refuses new ones, and can be called twice', async () => {
    const closing = createRecoveryPool({ threads: 2, chunkSize: 8 });
    const running = closing.recoverBatch(items).catch((e: unknown) => e);
    await closing.close();
    expect(await running).toMatchObject({ code: 'recovery_pool_closed' });
    await expect(closing.recoverBatch(items.slice(0, 3))).rejects.toMatchObject({
      code: 'recovery_pool_closed',
    });
    await closing.close();
  });

  it('falls back to the JS recoverer, with a warning, when the native binding cannot load', async () => {
    const warn = vi.fn();
    const fallback = createRecoveryPool({
      warn,
      load: () => ({ ok: false, error: new Error('invalid ELF header') }),
    });
    expect(fallback.native).toBe(false);
    expect(warn.mock.calls[0]![0]).toMatch(/invalid ELF header/);
    expect(await fallback.recoverBatch(items.slice(0, 30))).toEqual(expected.slice(0, 30));
    await fallback.close();
    await expect(fallback.recoverBatch(items.slice(0, 3))).rejects.toMatchObject({
      code: 'recovery_pool_closed',
    });
  });

  it('switches to the JS recoverer, with a warning, when workers cannot load the binding', async () => {
    // The binding loads here but not in the workers (as with a wrong-ABI build in a worker).
    const real = loadNativeSecp256k1();
    if (!real.ok) throw real.error;
    const warn = vi.fn();
    const broken = createRecoveryPool({
      threads: 1,
      warn,
      load: () => ({
        ...real,
        paths: { ...real.paths, secp256k1: '/nonexistent/secp256k1-bindings.js' },
      }),
    });
    try {
      await expect(broken.recoverBatch(items.slice(0, 10))).rejects.toMatchObject({
        code: 'recovery_worker_crashed',
      });
      await vi.waitFor(() => expect(warn).toHaveBeenCalledOnce());
      expect(warn.mock.calls[0]![0]).toMatch(/keep failing to start[\s\S]*pure-JS/);
      expect(await broken.recoverBatch(items.slice(0, 30))).toEqual(expected.slice(0, 30));
    } finally {
      await broken.close();
    }
  });
});
