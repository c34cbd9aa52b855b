// When the wallet resumes main's exit outbox on its own: when entries become pending (or another
// account with pending entries is chosen) while nothing else runs, and again RESUME_RETRY_MS after
// one of its own attempts that left entries pending (the node was down, a transaction was not mined
// in time). An action the user started (exit everything) sends its own entries: its end, with the
// outbox not yet re-read, starts nothing. The outbox in main decides what is due, so an attempt
// never sends an exit twice.
import { useEffect, useRef } from 'react';

export const RESUME_RETRY_MS = 30_000;

export function useOutboxResume(
  /** The account whose outbox this is; null while it cannot sign. */
  owner: string | null,
  pending: boolean,
  idle: boolean,
  resume: () => void,
  retryMs = RESUME_RETRY_MS,
): void {
  const latest = useRef({ owner, pending, idle, resume });
  /** This hook's own attempt: asked for, seen running (the wallet busy), or none. */
  const attempt = useRef<'none' | 'asked' | 'running'>('none');
  useEffect(() => {
    latest.current = { owner, pending, idle, resume };
  });
  const attemptIfDue = useRef(() => {
    const now = latest.current;
    if (!now.owner || !now.pending || !now.idle) return;
    attempt.current = 'asked';
    now.resume();
  });

  useEffect(() => attemptIfDue.current(), [owner, pending]);

  useEffect(() => {
    if (!idle) {
      if (attempt.current === 'asked') attempt.current = 'running';
      return;
    }
    if (attempt.current !== 'running') return;
    attempt.current = 'none'; // it ended; if entries are still pending, try again later
    const timer = setTimeout(() => attemptIfDue.current(), retryMs);
    return () => clearTimeout(timer);
  }, [idle, retryMs]);
}
