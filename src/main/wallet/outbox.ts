// The exit outbox: the durable list of exits the user asked for (exit everything, or one output),
// so a crash or a restart between "decided to exit" and "the exit is on chain" loses nothing and
// never sends the same exit twice. One atomic JSON file per network in the data dir.
//
// An entry is keyed by (account, output): adding it again leaves it as it is (a failed one goes back
// to pending). The renderer records the Ethereum hash (`markSent`) BEFORE it relays the signed
// transaction; a second hash for a sent entry is refused. `refresh` settles sent entries: confirmed
// once the watcher sees the exit on chain, failed when the transaction reverted (the user decides
// whether to send it again), and pending again when Ethereum has never heard of it: the app stopped
// between recording and relaying, nothing left, so the resume sends it like any pending entry.
// "Never heard of it" is only believed for entries recorded before this start of the app, or
// longer ago than RELAY_GRACE_S: right after markSent the transaction is on its way to the node,
// and settling it then would let the resume send that exit a second time.
import { join } from 'node:path';
import { z } from 'zod';
import type { OutboxItem, OutboxState } from '../../shared/exits';
import { HandlerError } from '../ipc/router';
import { readJsonState, writeJsonState } from './files';

const itemSchema = z
  .object({
    id: z.number().int().min(1),
    address: z.string().regex(/^0x[0-9a-f]{40}$/),
    utxoPos: z.string().regex(/^[0-9]{1,40}$/),
    state: z.enum(['pending', 'sent', 'confirmed', 'failed']),
    ethTxHash: z
      .string()
      .regex(/^0x[0-9a-f]{64}$/)
      .nullable(),
    error: z.string().max(1000).nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .strict();
const fileSchema = z
  .object({ version: z.literal(1), nextId: z.number().int().min(1), items: z.array(itemSchema) })
  .strict();
type OutboxFile = z.infer<typeof fileSchema>;

/** Seconds after markSent during which an entry this app recorded counts as being relayed. */
export const RELAY_GRACE_S = 60;

/** What Ethereum and the watcher say about a sent entry. */
export interface OutboxProbe {
  /** The exit of this output is on chain (the watcher tracks it). */
  exitSeen(utxoPos: bigint): boolean;
  /** `mined-ok`, `reverted`, `pending` (known, not mined) or `unknown` (the node never heard of it). */
  transaction(hash: string): Promise<'mined-ok' | 'reverted' | 'pending' | 'unknown'>;
}

export class ExitOutbox {
  readonly path: string;
  /** Entries recorded as sent by this object (this start of the app): maybe still in flight. */
  private readonly sentHere = new Set<number>();

  constructor(
    dataDir: string,
    networkId: string,
    /** Unix seconds (the IPC contract's times). */
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.path = join(dataDir, `exit-outbox-${networkId}.json`);
  }

  private load(): OutboxFile {
    return readJsonState(this.path, fileSchema, { version: 1, nextId: 1, items: [] });
  }

  private save(file: OutboxFile): void {
    writeJsonState(this.path, file);
  }

  list(address: string): OutboxItem[] {
    const a = address.toLowerCase();
    return this.load().items.filter((i) => i.address === a);
  }

  /** Whether the output has an entry that is not failed (it is exiting or about to). */
  has(address: string, utxoPos: bigint): boolean {
    const a = address.toLowerCase();
    const p = utxoPos.toString();
    return this.load().items.some(
      (i) => i.address === a && i.utxoPos === p && i.state !== 'failed',
    );
  }

  add(address: string, utxoPositions: readonly string[]): OutboxItem[] {
    const file = this.load();
    const a = address.toLowerCase();
    const at = this.now();
    for (const utxoPos of new Set(utxoPositions)) {
      const existing = file.items.find((i) => i.address === a && i.utxoPos === utxoPos);
      if (existing) {
        if (existing.state === 'failed')
          Object.assign(existing, {
            state: 'pending',
            error: null,
            ethTxHash: null,
            updatedAt: at,
          });
        continue;
      }
      file.items.push({
        id: file.nextId++,
        address: a,
        utxoPos,
        state: 'pending',
        ethTxHash: null,
        error: null,
        createdAt: at,
        updatedAt: at,
      });
    }
    this.save(file);
    return file.items.filter((i) => i.address === a);
  }

  markSent(id: number, ethTxHash: string): OutboxItem {
    const file = this.load();
    const item = file.items.find((i) => i.id === id);
    if (!item) throw new HandlerError('not_found', `There is no exit ${id} in the outbox.`);
    const hash = ethTxHash.toLowerCase();
    if (item.state === 'sent' || item.state === 'confirmed') {
      if (item.ethTxHash === hash) return item;
      throw new HandlerError(
        'already_sent',
        `The exit of output ${item.utxoPos} was already sent in ${item.ethTxHash}; Vigil will not send it twice.`,
      );
    }
    Object.assign(item, {
      state: 'sent' as OutboxState,
      ethTxHash: hash,
      error: null,
      updatedAt: this.now(),
    });
    this.save(file);
    this.sentHere.add(item.id);
    return item;
  }

  /** Settles sent entries against Ethereum and the watcher; returns the account's entries. */
  async refresh(address: string, probe: OutboxProbe): Promise<OutboxItem[]> {
    const a = address.toLowerCase();
    const settles = (i: OutboxItem) =>
      i.address === a && (i.state === 'sent' || i.state === 'pending');
    // Ethereum first; the answers then go into a fresh read of the file in one synchronous step, so
    // a markSent that lands while the node answers is never overwritten by a stale copy.
    const seen = new Map<string, Awaited<ReturnType<OutboxProbe['transaction']>>>();
    for (const item of this.load().items) {
      if (!settles(item) || item.state !== 'sent' || !item.ethTxHash) continue;
      if (!probe.exitSeen(BigInt(item.utxoPos)))
        seen.set(item.ethTxHash, await probe.transaction(item.ethTxHash));
    }
    const file = this.load();
    let changed = false;
    for (const item of file.items) {
      if (!settles(item)) continue;
      if (probe.exitSeen(BigInt(item.utxoPos))) {
        Object.assign(item, { state: 'confirmed', error: null, updatedAt: this.now() });
        changed = true;
        continue;
      }
      const answer = item.state === 'sent' && item.ethTxHash ? seen.get(item.ethTxHash) : undefined;
      if (answer === 'reverted') {
        Object.assign(item, {
          state: 'failed',
          error: 'The exit transaction failed on Ethereum (only gas was spent). Send it again.',
          updatedAt: this.now(),
        });
        changed = true;
      } else if (answer === 'unknown' && !this.inFlight(item)) {
        Object.assign(item, {
          state: 'pending',
          ethTxHash: null,
          error:
            'Ethereum never received the exit transaction (Vigil stopped before relaying it); it is sent again.',
          updatedAt: this.now(),
        });
        changed = true;
      }
    }
    if (changed) this.save(file);
    return file.items.filter((i) => i.address === a);
  }

  /** Recorded as sent by this app a moment ago: the renderer may still be relaying it. */
  private inFlight(item: { id: number; updatedAt: number }): boolean {
    return this.sentHere.has(item.id) && this.now() - item.updatedAt < RELAY_GRACE_S;
  }
}
