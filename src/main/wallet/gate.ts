// What the renderer sees of the watcher (ChainSnapshot), and the gate in front of chain.submit:
// a payment goes to the operator only while this watcher has checked every block the operator has
// submitted and found the chain valid. Pure functions of a watcher snapshot, tested without a chain.
import type { NetworkProfile } from '../../shared/network-profile';
import type { ChainEventView, ChainSnapshot } from '../../shared/wallet';
import type { ByzantineEvent } from '../store';
import { describeEvent, isChainInvalidating } from '../watcher/status';
import type { WatcherSnapshot } from '../watcher/watcher';

/** JSON-safe details: bigints as decimal strings, bytes as hex, nested values as JSON text. */
function plainDetails(details: Record<string, unknown>): ChainEventView['details'] {
  const out: ChainEventView['details'] = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') out[key] = value;
    else if (typeof value === 'number') out[key] = Number.isFinite(value) ? value : String(value);
    else if (typeof value === 'bigint') out[key] = value.toString();
    else if (value instanceof Uint8Array) out[key] = `0x${Buffer.from(value).toString('hex')}`;
    else if (value !== undefined)
      out[key] = JSON.stringify(value, (_k, v: unknown) =>
        typeof v === 'bigint' ? v.toString() : v,
      );
  }
  return out;
}

export function eventView(event: ByzantineEvent): ChainEventView {
  return {
    id: event.id,
    kind: event.kind,
    description: describeEvent(event),
    invalidating: isChainInvalidating(event),
    details: plainDetails(event.details),
    firstSeenAt: event.firstSeenAt,
  };
}

/** The child blocks this watcher has validated, and the last one the operator submitted. */
export function blockProgress(snapshot: WatcherSnapshot): { validated: bigint; mined: bigint } {
  return {
    validated: snapshot.getter?.lastAppliedBlock ?? 0n,
    mined: snapshot.ethereum?.lastMinedChildBlock ?? 0n,
  };
}

/**
 * Why a payment may not be submitted now, in plain words; null when it may. Refused unless the
 * status is `valid`, every submitted block is validated, and no chain-invalidating event is open.
 */
export function submitRefusal(snapshot: WatcherSnapshot): string | null {
  const invalidating = snapshot.events.find((e) => isChainInvalidating(e));
  if (invalidating)
    return `Payments are refused: the chain is not safe. ${describeEvent(invalidating)}`;
  const { kind, reason } = snapshot.status;
  if (kind === 'invalid') return `Payments are refused: the chain is invalid. ${reason}`;
  if (kind === 'unknown')
    return `Payments are paused: Vigil cannot check the chain right now. ${reason}`;
  if (kind === 'syncing') return `Payments are paused until Vigil has checked the chain. ${reason}`;
  const { validated, mined } = blockProgress(snapshot);
  if (validated < mined)
    return (
      `Payments are paused until Vigil has checked the chain: child blocks are validated up to ` +
      `${validated} but the operator has submitted up to ${mined}.`
    );
  return null;
}

export function chainSnapshot(snapshot: WatcherSnapshot, profile: NetworkProfile): ChainSnapshot {
  const refusal = submitRefusal(snapshot);
  const { validated, mined } = blockProgress(snapshot);
  return {
    network: {
      name: profile.name,
      chainId: profile.chainId,
      childBlockInterval: profile.childBlockInterval,
      contracts: {
        plasmaFramework: profile.contracts.plasmaFramework.toLowerCase(),
        ethVault: profile.contracts.ethVault.toLowerCase(),
        erc20Vault: profile.contracts.erc20Vault.toLowerCase(),
      },
    },
    status: { kind: snapshot.status.kind, reason: snapshot.status.reason },
    lastValidatedBlock: validated.toString(),
    lastMinedBlock: mined.toString(),
    ethereumHeight: snapshot.ethereum?.headHeight ?? 0,
    alarms: [...snapshot.alarms],
    events: snapshot.events.map(eventView),
    canSubmit: refusal === null,
    submitRefusal: refusal,
    at: snapshot.at,
  };
}
