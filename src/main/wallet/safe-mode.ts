// Safe mode: once a chain-invalidating event is open (invalid_block, block_withholding,
// unchallenged_exit…), the wallet is exit-only: payments and deposits are refused, exits, challenges
// and processing stay allowed, until the user acknowledges. Persisted per network, so a restart does
// not quietly reopen payments. Acknowledging covers the events open at that moment; a new one
// switches safe mode on again.
import { join } from 'node:path';
import { z } from 'zod';
import type { SafeModeState } from '../../shared/exits';
import type { ByzantineEvent } from '../store';
import { isChainInvalidating } from '../watcher/status';
import { readJsonState, writeJsonState } from './files';

const fileSchema = z
  .object({
    version: z.literal(1),
    active: z.boolean(),
    reason: z.string().max(100).nullable(),
    since: z.number().nullable(),
    acknowledgedAt: z.number().nullable(),
    /** Ids of the invalidating events the user has acknowledged. */
    acknowledged: z.array(z.number().int()).max(10_000),
  })
  .strict();
type SafeModeFile = z.infer<typeof fileSchema>;

const INITIAL: SafeModeFile = {
  version: 1,
  active: false,
  reason: null,
  since: null,
  acknowledgedAt: null,
  acknowledged: [],
};

export class SafeMode {
  readonly path: string;

  constructor(
    dataDir: string,
    networkId: string,
    /** Milliseconds since the epoch; the state holds Unix seconds, as the IPC contract says. */
    private readonly now: () => number = Date.now,
  ) {
    this.path = join(dataDir, `safe-mode-${networkId}.json`);
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private load(): SafeModeFile {
    return readJsonState(this.path, fileSchema, INITIAL, 1024 * 1024);
  }

  state(): SafeModeState {
    const { active, reason, since, acknowledgedAt } = this.load();
    return { active, reason, since, acknowledgedAt };
  }

  /**
   * Takes the open byzantine events into account; returns the new state when safe mode switched on
   * (for the caller to announce), undefined when nothing changed.
   */
  observe(events: readonly ByzantineEvent[]): SafeModeState | undefined {
    const file = this.load();
    if (file.active) return undefined;
    const fresh = events.find((e) => isChainInvalidating(e) && !file.acknowledged.includes(e.id));
    if (!fresh) return undefined;
    const next: SafeModeFile = { ...file, active: true, reason: fresh.kind, since: this.seconds() };
    writeJsonState(this.path, next);
    return this.state();
  }

  /** The user has read the warning: payments and deposits may be asked for again (the gate still applies). */
  acknowledge(events: readonly ByzantineEvent[]): SafeModeState {
    const file = this.load();
    const ids = events.filter((e) => isChainInvalidating(e)).map((e) => e.id);
    const next: SafeModeFile = {
      ...file,
      active: false,
      acknowledgedAt: this.seconds(),
      acknowledged: [...new Set([...file.acknowledged, ...ids])].slice(-10_000),
    };
    writeJsonState(this.path, next);
    return this.state();
  }

  /** Why a payment or deposit is refused now, or null. */
  refusal(): string | null {
    const s = this.state();
    if (!s.active) return null;
    return (
      `Vigil is in safe mode after ${s.reason ?? 'a chain-invalidating event'}: only exits, ` +
      `challenges and processing are allowed. Exit your funds, then acknowledge the warning.`
    );
  }
}
