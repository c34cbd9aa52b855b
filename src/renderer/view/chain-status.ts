// Plain-words views of the watcher's snapshot: the status bar's sentence and progress, and the
// banner that names the event to act on. Pure, so the rules are unit-tested without a DOM.
import type { ChainEventView, ChainSnapshot } from '../../shared/wallet';

export interface StatusLine {
  kind: ChainSnapshot['status']['kind'];
  /** One sentence for the status bar. */
  text: string;
  /** Validated / mined child blocks, for a progress bar while syncing (null when unknown). */
  progress: { value: number; max: number } | null;
}

function blockCount(blknum: string, interval: number): number {
  const n = Number(BigInt(blknum) / BigInt(Math.max(1, interval)));
  return Number.isFinite(n) ? n : 0;
}

export function statusLine(snapshot: ChainSnapshot | null): StatusLine {
  if (!snapshot) return { kind: 'unknown', text: 'Connecting to the watcher…', progress: null };
  const interval = snapshot.network.childBlockInterval;
  const validated = blockCount(snapshot.lastValidatedBlock, interval);
  const mined = blockCount(snapshot.lastMinedBlock, interval);
  const progress = mined > 0 ? { value: Math.min(validated, mined), max: mined } : null;
  const where = `${snapshot.network.name} · Ethereum block ${snapshot.ethereumHeight}`;
  switch (snapshot.status.kind) {
    case 'valid':
      return {
        kind: 'valid',
        text: `Chain valid: ${mined === 0 ? 'no child blocks yet' : `every block checked (${validated} of ${mined})`}. ${where}`,
        progress,
      };
    case 'syncing':
      return {
        kind: 'syncing',
        text: `Checking the chain: ${validated} of ${mined} blocks validated. ${snapshot.status.reason}`.trim(),
        progress,
      };
    case 'invalid':
      return { kind: 'invalid', text: `Chain INVALID: ${snapshot.status.reason}`, progress };
    default:
      return {
        kind: 'unknown',
        text: `Chain status unknown: ${snapshot.status.reason || 'the watcher has not reported yet.'}`,
        progress,
      };
  }
}

export interface Banner {
  severity: 'danger' | 'warning';
  title: string;
  /** What happened and the one protecting action (the watcher's own words). */
  message: string;
  event: ChainEventView | null;
}

/** The banner to show, if any: an invalidating event first, then any other open event. */
export function banner(snapshot: ChainSnapshot | null): Banner | null {
  if (!snapshot) return null;
  const events = [...snapshot.events].sort(
    (a, b) => Number(b.invalidating) - Number(a.invalidating) || a.firstSeenAt - b.firstSeenAt,
  );
  const first = events[0];
  if (first?.invalidating || snapshot.status.kind === 'invalid') {
    return {
      severity: 'danger',
      title: 'The chain is not safe',
      message: first?.description ?? snapshot.status.reason,
      event: first ?? null,
    };
  }
  if (first) {
    return {
      severity: 'warning',
      title: 'An event needs your action',
      message: first.description,
      event: first,
    };
  }
  return null;
}

/** Why Send is refused right now, or null when a payment may be submitted. */
export function sendRefusal(snapshot: ChainSnapshot | null): string | null {
  if (!snapshot) return 'The watcher has not reported the chain yet; wait a moment.';
  if (snapshot.canSubmit) return null;
  return (
    snapshot.submitRefusal ?? banner(snapshot)?.message ?? 'The chain is not valid and synced.'
  );
}
