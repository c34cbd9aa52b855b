// The watcher: runs the Ethereum follower and the block getter in rounds, derives the chain status
// after each, and tells its listeners about progress, status changes and byzantine events. The same
// object runs in the app's main process and in the headless watcher; it never imports electron.
//
// A round is: follower.poll() (Ethereum → store), then getter.poll() (store → operator → store),
// then the exit processor (store → invalid_exit / unchallenged_exit), then the status. Rounds never overlap; `stop()` waits for the running one, so the store is never
// closed under a writer.
import type { NetworkProfile } from '../../shared/network-profile';
import type { ByzantineEvent, WatcherStore } from '../store';
import type { ExitProcessor } from './exit-processor';
import { initialEthereumProgress } from './follower';
import { deriveStatus, orderEvents, type StatusReport } from './status';
import type {
  AlarmName,
  BlockGetterProgress,
  ChainStatus,
  Deployment,
  EthereumProgress,
  WatcherConfig,
} from './types';

/** One of the watcher's services: does a round of work and reports where it is. */
export interface Pollable<P> {
  poll(): Promise<P>;
  close?(): void | Promise<void>;
}

export interface WatcherParts {
  profile: NetworkProfile;
  deployment: Deployment;
  config: WatcherConfig;
  store: WatcherStore;
  follower: Pollable<EthereumProgress>;
  getter: Pollable<BlockGetterProgress>;
  /** Evaluates the standard exits after each round (raises invalid_exit / unchallenged_exit). */
  exits?: ExitProcessor;
  /** Closed last, after the services (e.g. the recovery worker pool). */
  resources?: { close(): void | Promise<void> }[];
  now?: () => number;
}

export interface WatcherSnapshot {
  status: ChainStatus;
  alarms: AlarmName[];
  ethereum: EthereumProgress | undefined;
  getter: BlockGetterProgress | undefined;
  /** Open reported byzantine events, in the order of spec §2.1. */
  events: ByzantineEvent[];
  /** Synced Ethereum height of each follower. */
  heights: Record<string, number>;
  /** When this snapshot was taken (ms since the epoch). */
  at: number;
}

export interface WatcherListener {
  progress?(snapshot: WatcherSnapshot): void;
  /** The status changed kind (syncing → valid, valid → invalid…). */
  status?(status: ChainStatus, previous: ChainStatus | undefined): void;
  /** `isNew` is false for events that were already open when this watcher started (persisted). */
  event?(event: ByzantineEvent, isNew: boolean): void;
}

function failedProgress<P extends { error: string | undefined }>(
  previous: P | undefined,
  error: unknown,
): P | undefined {
  const message = error instanceof Error ? error.message : String(error);
  return previous ? { ...previous, error: message } : undefined;
}

export class Watcher {
  readonly profile: NetworkProfile;
  readonly deployment: Deployment;
  readonly config: WatcherConfig;
  readonly store: WatcherStore;
  readonly exits: ExitProcessor | undefined;
  /** The exit processor's last failure (it retries next round), if its last round failed. */
  exitsError: string | undefined;
  private readonly parts: WatcherParts;
  private readonly now: () => number;
  private readonly listeners = new Set<WatcherListener>();
  private readonly announced = new Set<number>();
  private ethereum: EthereumProgress | undefined;
  private getter: BlockGetterProgress | undefined;
  private last: WatcherSnapshot | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private closed = false;
  /** Events first seen before this moment were already open when the watcher started. */
  private readonly startedAt: number;

  constructor(parts: WatcherParts) {
    this.parts = parts;
    this.profile = parts.profile;
    this.deployment = parts.deployment;
    this.config = parts.config;
    this.store = parts.store;
    this.exits = parts.exits;
    this.now = parts.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** Listens until the returned function is called. A throwing listener is reported, not fatal. */
  subscribe(listener: WatcherListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The latest snapshot (computed now if no round has run yet). */
  snapshot(): WatcherSnapshot {
    return this.last ?? this.computeSnapshot();
  }

  /** One round of following, validating and status; for tests and benchmarks. */
  async round(): Promise<WatcherSnapshot> {
    if (this.closed) throw new Error('The watcher has been stopped.');
    try {
      this.ethereum = await this.parts.follower.poll();
    } catch (error) {
      this.ethereum = failedProgress(this.ethereum, error) ?? this.bootFailure(error);
    }
    try {
      this.getter = await this.parts.getter.poll();
    } catch (error) {
      this.getter = failedProgress(this.getter, error);
    }
    if (this.exits && this.ethereum && this.ethereum.headHeight > 0) {
      try {
        await this.exits.poll(this.ethereum.headHeight);
        this.exitsError = undefined;
      } catch (error) {
        this.exitsError = error instanceof Error ? error.message : String(error);
      }
    }
    return this.publish();
  }

  /** Runs rounds every `pollIntervalMs` until `stop()`. */
  start(): void {
    if (this.running || this.closed) return;
    this.stopping = false;
    this.running = (async () => {
      while (!this.stopping) {
        await this.round();
        if (this.stopping) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.config.pollIntervalMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    })();
  }

  /** Stops the rounds, waits for the running one, then closes the services and the store. */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
    this.closed = true;
    for (const part of [this.parts.getter, this.parts.follower, ...(this.parts.resources ?? [])]) {
      await part.close?.();
    }
    this.store.close();
  }

  private bootFailure(error: unknown): EthereumProgress {
    return initialEthereumProgress(0, error instanceof Error ? error.message : String(error));
  }

  private computeSnapshot(): WatcherSnapshot {
    const at = this.now();
    const open = this.store.byzantineEvents();
    const report: StatusReport = deriveStatus({
      ethereum: this.ethereum,
      getter: this.getter,
      events: open,
      config: this.config,
      now: at,
    });
    return {
      ...report,
      ethereum: this.ethereum,
      getter: this.getter,
      events: orderEvents(open),
      heights: this.store.heights(),
      at,
    };
  }

  private publish(): WatcherSnapshot {
    const previous = this.last;
    const snapshot = this.computeSnapshot();
    this.last = snapshot;
    for (const event of snapshot.events) {
      if (this.announced.has(event.id)) continue;
      this.announced.add(event.id);
      const isNew = event.firstSeenAt >= this.startedAt;
      this.emit((l) => l.event?.(event, isNew));
    }
    // Only a change of kind is news; the reason moves with every block while syncing.
    if (previous?.status.kind !== snapshot.status.kind) {
      this.emit((l) => l.status?.(snapshot.status, previous?.status));
    }
    this.emit((l) => l.progress?.(snapshot));
    return snapshot;
  }

  private emit(call: (listener: WatcherListener) => void): void {
    for (const listener of this.listeners) {
      try {
        call(listener);
      } catch (error) {
        console.error('A watcher listener failed:', error);
      }
    }
  }
}
