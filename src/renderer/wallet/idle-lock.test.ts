import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACTIVITY_EVENTS, createIdleLock, watchActivity, type ActivitySource } from './idle-lock';

const MINUTE = 60_000;

describe('idle lock', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('locks once after N minutes without input', () => {
    const onLock = vi.fn();
    createIdleLock(5, onLock);
    vi.advanceTimersByTime(5 * MINUTE - 1);
    expect(onLock).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onLock).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60 * MINUTE);
    expect(onLock).toHaveBeenCalledTimes(1);
  });

  it('starts the countdown again on every input', () => {
    const onLock = vi.fn();
    const lock = createIdleLock(2, onLock);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(2 * MINUTE - 1000);
      lock.activity();
    }
    expect(onLock).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2 * MINUTE);
    expect(onLock).toHaveBeenCalledTimes(1);
  });

  it('never locks at 0 minutes, and a changed setting takes effect from now', () => {
    const onLock = vi.fn();
    const lock = createIdleLock(0, onLock);
    vi.advanceTimersByTime(24 * 60 * MINUTE);
    expect(onLock).not.toHaveBeenCalled();
    lock.setMinutes(1);
    expect(lock.minutes).toBe(1);
    vi.advanceTimersByTime(MINUTE);
    expect(onLock).toHaveBeenCalledTimes(1);
  });

  it('stops for good on stop()', () => {
    const onLock = vi.fn();
    const lock = createIdleLock(1, onLock);
    lock.stop();
    lock.activity();
    vi.advanceTimersByTime(10 * MINUTE);
    expect(onLock).not.toHaveBeenCalled();
  });

  it('refuses an idle time that is not whole minutes from 0 to a day', () => {
    for (const bad of [-1, 1.5, Number.NaN, 24 * 60 + 1]) {
      expect(() => createIdleLock(bad, () => {})).toThrow(RangeError);
    }
    expect(() => createIdleLock(1, () => {}).setMinutes(-5)).toThrow(/whole number/);
  });

  it('counts input events of the window as activity until unsubscribed', () => {
    const listeners = new Map<string, () => void>();
    const target: ActivitySource = {
      addEventListener: (type, l) => listeners.set(type, l),
      removeEventListener: (type) => listeners.delete(type),
    };
    const onLock = vi.fn();
    const lock = createIdleLock(1, onLock);
    const unsubscribe = watchActivity(lock, target);
    expect([...listeners.keys()]).toEqual([...ACTIVITY_EVENTS]);
    vi.advanceTimersByTime(MINUTE - 1);
    listeners.get('keydown')!();
    vi.advanceTimersByTime(MINUTE - 1);
    expect(onLock).not.toHaveBeenCalled();
    unsubscribe();
    expect(listeners.size).toBe(0);
    vi.advanceTimersByTime(1);
    expect(onLock).toHaveBeenCalledTimes(1);
  });
});
