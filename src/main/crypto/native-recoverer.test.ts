import { describe, expect, it, vi } from 'vitest';
import { jsRecoverer } from '../../plasma/recover';
import { createNativeRecoverer, nativeRecoverer } from './native-recoverer';
import { loadNativeSecp256k1 } from './native-secp256k1';
import { SIGNATURE_KINDS, makeItem, mixedBatch, seededBytes } from './test-signatures';

describe('native signature recoverer', () => {
  it('loads the native binding here (not the package’s silent elliptic fallback)', () => {
    expect(loadNativeSecp256k1().ok).toBe(true);
    expect(createNativeRecoverer().native).toBe(true);
  });

  it('recovers exactly what the JS recoverer recovers, for valid and every kind of invalid signature', async () => {
    const items = mixedBatch(400, 0xc0ffee);
    const expected = await jsRecoverer.recoverBatch(items);
    expect(expected.some((a) => a === null)).toBe(true);
    expect(expected.some((a) => a !== null)).toBe(true);
    expect(await nativeRecoverer.recoverBatch(items)).toEqual(expected);
  });

  it.each(SIGNATURE_KINDS)('agrees with the JS recoverer on a %s signature', async (kind) => {
    const random = seededBytes(kind.length * 7919 + kind.charCodeAt(0));
    const items = Array.from({ length: 12 }, () => makeItem(kind, random));
    const expected = await jsRecoverer.recoverBatch(items);
    if (kind === 'valid')
      expect(expected.every((a) => a !== null && /^0x[0-9a-f]{40}$/.test(a))).toBe(true);
    else expect(expected.every((a) => a === null)).toBe(true);
    expect(await nativeRecoverer.recoverBatch(items)).toEqual(expected);
  });

  it('keeps the order of items across the slices it yields between', async () => {
    const items = mixedBatch(101, 42);
    const expected = await jsRecoverer.recoverBatch(items);
    const sliced = createNativeRecoverer({ sliceSize: 7 });
    expect(await sliced.recoverBatch(items)).toEqual(expected);
  });

  it('returns an empty result for an empty batch', async () => {
    expect(await nativeRecoverer.recoverBatch([])).toEqual([]);
  });

  it('falls back to the JS recoverer, with a warning, when the native binding cannot load', async () => {
    const warn = vi.fn();
    const recoverer = createNativeRecoverer({
      warn,
      load: () => ({ ok: false, error: new Error('no prebuild for this platform') }),
    });
    expect(recoverer.native).toBe(false);
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]![0]).toMatch(/no prebuild for this platform.*pure-JS/);
    const items = mixedBatch(20, 7);
    expect(await recoverer.recoverBatch(items)).toEqual(await jsRecoverer.recoverBatch(items));
  });
});
