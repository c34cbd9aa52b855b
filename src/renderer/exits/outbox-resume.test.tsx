// @vitest-environment happy-dom
import { renderHook } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { useOutboxResume } from './outbox-resume';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

type Props = { owner: string | null; pending: boolean; idle: boolean };

function setup(initial: Props) {
  const resume = vi.fn();
  const hook = renderHook(
    (p: Props) => useOutboxResume(p.owner, p.pending, p.idle, resume, 30_000),
    { initialProps: initial },
  );
  return { resume, rerender: hook.rerender };
}

it('resumes at once when entries are pending and nothing runs, and not while it cannot sign', () => {
  const { resume, rerender } = setup({ owner: null, pending: true, idle: true });
  expect(resume).not.toHaveBeenCalled();
  rerender({ owner: '0xa', pending: true, idle: true });
  expect(resume).toHaveBeenCalledTimes(1);
});

it('retries its own attempt that left entries pending after the retry interval, until none is left', () => {
  const { resume, rerender } = setup({ owner: '0xa', pending: true, idle: true });
  expect(resume).toHaveBeenCalledTimes(1);
  rerender({ owner: '0xa', pending: true, idle: false }); // the attempt runs…
  rerender({ owner: '0xa', pending: true, idle: true }); // …and ends with entries still pending
  vi.advanceTimersByTime(29_000);
  expect(resume).toHaveBeenCalledTimes(1);
  vi.advanceTimersByTime(1_000);
  expect(resume).toHaveBeenCalledTimes(2);
  rerender({ owner: '0xa', pending: true, idle: false });
  rerender({ owner: '0xa', pending: false, idle: true }); // this one sent them all
  vi.advanceTimersByTime(120_000);
  expect(resume).toHaveBeenCalledTimes(2);
});

it('starts nothing when an action the user started ends before the outbox is read again', () => {
  const { resume, rerender } = setup({ owner: '0xa', pending: false, idle: true });
  rerender({ owner: '0xa', pending: true, idle: false }); // exit everything added its entries
  rerender({ owner: '0xa', pending: true, idle: true }); // done; the outbox still reads pending
  vi.advanceTimersByTime(120_000);
  rerender({ owner: '0xa', pending: false, idle: true });
  expect(resume).not.toHaveBeenCalled();
});

it('a newly chosen account with pending entries is resumed at once', () => {
  const { resume, rerender } = setup({ owner: '0xa', pending: false, idle: true });
  rerender({ owner: '0xb', pending: true, idle: true });
  expect(resume).toHaveBeenCalledTimes(1);
});
