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
    {
      initialProps: initial,
    },
  );
  return { resume, rerender: hook.rerender };
}

it('resumes at once when something is pending and nothing runs, and not while it cannot sign', () => {
  const { resume, rerender } = setup({ owner: null, pending: true, idle: true });
  expect(resume).not.toHaveBeenCalled();
  rerender({ owner: '0xa', pending: true, idle: true });
  expect(resume).toHaveBeenCalledTimes(1);
});

it('never starts while another action runs, and waits a retry interval after an attempt that left entries pending', () => {
  const { resume, rerender } = setup({ owner: '0xa', pending: true, idle: true });
  expect(resume).toHaveBeenCalledTimes(1);
  rerender({ owner: '0xa', pending: true, idle: false }); // the attempt runs
  vi.advanceTimersByTime(60_000);
  expect(resume).toHaveBeenCalledTimes(1);
  rerender({ owner: '0xa', pending: true, idle: true }); // …and failed 60 s after it started
  expect(resume).toHaveBeenCalledTimes(2);
  rerender({ owner: '0xa', pending: true, idle: false });
  rerender({ owner: '0xa', pending: true, idle: true }); // failed again at once
  vi.advanceTimersByTime(29_000);
  expect(resume).toHaveBeenCalledTimes(2);
  vi.advanceTimersByTime(1_000);
  expect(resume).toHaveBeenCalledTimes(3);
});

it('stops retrying once nothing is pending, and a new account starts at once', () => {
  const { resume, rerender } = setup({ owner: '0xa', pending: true, idle: true });
  rerender({ owner: '0xa', pending: true, idle: false });
  rerender({ owner: '0xa', pending: false, idle: true });
  vi.advanceTimersByTime(120_000);
  expect(resume).toHaveBeenCalledTimes(1);
  rerender({ owner: '0xb', pending: true, idle: true });
  expect(resume).toHaveBeenCalledTimes(2);
});
