// When the wallet resumes main's exit outbox on its own: at once when there is something pending
// and nothing else is running, and again no sooner than RESUME_RETRY_MS after an attempt that left
// entries pending (the node was down, a transaction was not mined in time). Never two at a time:
// an attempt is itself "something running". The outbox in main decides what is due, so a repeated
// attempt never sends an exit twice.
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
  const last = useRef<{ owner: string; at: number } | null>(null);
  const latest = useRef(resume);
  useEffect(() => {
    latest.current = resume;
  });
  useEffect(() => {
    if (!owner || !pending || !idle) return;
    const start = () => {
      last.current = { owner, at: Date.now() };
      latest.current();
    };
    const since = last.current?.owner === owner ? Date.now() - last.current.at : Infinity;
    if (since >= retryMs) {
      start();
      return;
    }
    const timer = setTimeout(start, retryMs - since);
    return () => clearTimeout(timer);
  }, [owner, pending, idle, retryMs]);
}
