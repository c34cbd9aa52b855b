// What the headless watcher prints: one status line per second (rate of validation and an ETA while
// syncing), and one plain-language line per byzantine event or status change. Pure functions over
// watcher snapshots, so the wording is tested without a chain.
import type { ByzantineEvent } from '../store';
import { describeEvent } from '../watcher/status';
import type { ChainStatus } from '../watcher/types';
import type { WatcherSnapshot } from '../watcher/watcher';

interface Sample {
  at: number;
  blocks: number;
  transactions: number;
}

/** Validation speed over the last `windowMs` of snapshots. */
export class RateMeter {
  private readonly samples: Sample[] = [];
  constructor(private readonly windowMs = 10_000) {}

  add(snapshot: WatcherSnapshot): void {
    const g = snapshot.getter;
    if (!g) return;
    this.samples.push({
      at: snapshot.at,
      blocks: g.appliedBlocks,
      transactions: g.appliedTransactions,
    });
    while (this.samples.length > 2 && snapshot.at - this.samples[0]!.at > this.windowMs)
      this.samples.shift();
  }

  /** Blocks and transactions per second, or undefined before two samples a moment apart. */
  rate(): { blocksPerSecond: number; transactionsPerSecond: number } | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < 200) return undefined;
    const seconds = (last.at - first.at) / 1000;
    return {
      blocksPerSecond: (last.blocks - first.blocks) / seconds,
      transactionsPerSecond: (last.transactions - first.transactions) / seconds,
    };
  }
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

const number = (n: number | bigint) => n.toLocaleString('en-US');

/** One line for a terminal: where the sync is, how fast, and the chain status. */
export function progressLine(
  snapshot: WatcherSnapshot,
  meter: RateMeter,
  interval: bigint,
): string {
  const { status, ethereum, getter } = snapshot;
  const validated = getter?.lastAppliedBlock ?? 0n;
  const mined = ethereum?.lastMinedChildBlock ?? 0n;
  const parts = [`${status.kind.toUpperCase()}`, `block ${number(validated)} of ${number(mined)}`];
  if (ethereum && ethereum.headHeight > 0) parts.push(`Ethereum ${number(ethereum.headHeight)}`);
  const rate = meter.rate();
  if (status.kind === 'syncing' && rate && rate.blocksPerSecond > 0) {
    const left = Number((mined - validated) / (interval > 0n ? interval : 1n));
    parts.push(
      `${rate.blocksPerSecond.toFixed(1)} blocks/s`,
      `${number(Math.round(rate.transactionsPerSecond))} tx/s`,
      `ETA ${duration(left / rate.blocksPerSecond)}`,
    );
  }
  if (snapshot.events.length > 0) parts.push(`${snapshot.events.length} open event(s)`);
  if (snapshot.alarms.length > 0) parts.push(`alarms: ${snapshot.alarms.join(', ')}`);
  return parts.join(' · ');
}

/** A log line for a byzantine event, with its details and the time it was first seen. */
export function eventLine(event: ByzantineEvent, isNew: boolean): string {
  const when = new Date(event.firstSeenAt).toISOString();
  const lead = isNew ? 'ALERT' : 'Still open';
  return `${lead} [${event.kind}] ${describeEvent(event)} (first seen ${when})`;
}

export function statusLine(status: ChainStatus, previous: ChainStatus | undefined): string {
  const from = previous ? `${previous.kind} → ` : '';
  return `Chain status: ${from}${status.kind}. ${status.reason}`;
}
