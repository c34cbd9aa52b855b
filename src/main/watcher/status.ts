// The chain status the app gates on, and the watcher's alarms, derived from what the services last
// reported and the byzantine events in the store (spec/watcher.md §1.8, §1.9, §2.2). Pure: given the
// same inputs it gives the same answer, so it is tested without a chain.
import type { ByzantineEvent } from '../store';
import type {
  AlarmName,
  BlockGetterProgress,
  ChainStatus,
  EthereumProgress,
  WatcherConfig,
} from './types';

/** Events after which the chain can no longer be trusted: exit everything (spec §2.2). */
export const CHAIN_INVALIDATING = [
  'unchallenged_non_canonical_ife',
  'unchallenged_exit',
  'unchallenged_piggyback',
  'invalid_block',
  'block_withholding',
] as const;

/** The order of spec §2.1 for `byzantine_events`; block-getter events come last, newest first. */
export const EVENT_ORDER = [
  'unchallenged_non_canonical_ife',
  'unchallenged_exit',
  'unchallenged_piggyback',
  'invalid_exit',
  'invalid_piggyback',
  'non_canonical_ife',
  'invalid_ife_challenge',
  'piggyback_available',
  'invalid_block',
  'block_withholding',
] as const;

export type ByzantineKind = (typeof EVENT_ORDER)[number];

/** Events the watcher keeps for itself (e.g. a block that failed once) and never reports as such. */
export function isReportedEvent(event: Pick<ByzantineEvent, 'kind'>): boolean {
  return (EVENT_ORDER as readonly string[]).includes(event.kind);
}

export function isChainInvalidating(event: Pick<ByzantineEvent, 'kind'>): boolean {
  return (CHAIN_INVALIDATING as readonly string[]).includes(event.kind);
}

/** Reported events in spec order; within the block-getter events, newest first. */
export function orderEvents<E extends Pick<ByzantineEvent, 'kind' | 'firstSeenAt' | 'id'>>(
  events: readonly E[],
): E[] {
  const rank = (e: E) => (EVENT_ORDER as readonly string[]).indexOf(e.kind);
  const blockLevel = (e: E) => e.kind === 'invalid_block' || e.kind === 'block_withholding';
  return events.filter(isReportedEvent).sort((a, b) => {
    if (blockLevel(a) && blockLevel(b)) return b.firstSeenAt - a.firstSeenAt || b.id - a.id;
    return rank(a) - rank(b) || a.firstSeenAt - b.firstSeenAt || a.id - b.id;
  });
}

export interface StatusInputs {
  /** Undefined until the follower's first poll has returned. */
  ethereum: EthereumProgress | undefined;
  getter: BlockGetterProgress | undefined;
  /** Open byzantine events from the store. */
  events: readonly ByzantineEvent[];
  config: Pick<WatcherConfig, 'stalledSyncThresholdMs'>;
  now: number;
}

export interface StatusReport {
  status: ChainStatus;
  alarms: AlarmName[];
}

/** Alarms of spec §3.3 that make `status.get` answer `operation:service_unavailable`. */
export const HEALTH_ALARMS: readonly AlarmName[] = [
  'boot_in_progress',
  'ethereum_connection_error',
  'ethereum_stalled_sync',
];

function alarmsOf({ ethereum, getter, config, now }: StatusInputs): AlarmName[] {
  const alarms: AlarmName[] = [];
  if (!ethereum || ethereum.lastPollAt === 0) {
    alarms.push(ethereum?.error ? 'ethereum_connection_error' : 'boot_in_progress');
    return alarms;
  }
  if (ethereum.error) alarms.push('ethereum_connection_error');
  if (now - ethereum.lastHeightChangeAt > config.stalledSyncThresholdMs)
    alarms.push('ethereum_stalled_sync');
  if (getter?.error) alarms.push('operator_unreachable');
  return alarms;
}

/** Plain-language description of one byzantine event, with the action that protects the user. */
export function describeEvent(event: Pick<ByzantineEvent, 'kind' | 'details'>): string {
  const d = event.details;
  const blk = d.blknum === undefined ? '' : ` ${String(d.blknum)}`;
  switch (event.kind) {
    case 'invalid_block':
      return `Child block${blk} is invalid (${String(d.error_type)}): the operator is cheating. Exit all your funds to Ethereum now.`;
    case 'block_withholding':
      return `The operator submitted child block${blk} but will not show its contents: nobody can check it. Exit all your funds to Ethereum now.`;
    case 'unchallenged_exit':
      return `An invalid exit of output ${String(d.utxo_pos)} was not challenged in time. Exit all your funds to Ethereum now.`;
    case 'unchallenged_piggyback':
      return 'An invalid piggyback was not challenged in time. Exit all your funds to Ethereum now.';
    case 'unchallenged_non_canonical_ife':
      return 'A non-canonical in-flight exit was not challenged in time. Exit all your funds to Ethereum now.';
    case 'invalid_exit':
      return `Somebody is exiting output ${String(d.utxo_pos)}, which is already spent. Challenge the exit before it finalizes.`;
    case 'invalid_piggyback':
      return 'A piggyback claims an input or output that was spent elsewhere. Challenge the piggyback.';
    case 'non_canonical_ife':
      return 'An in-flight exit is not canonical: one of its inputs was spent by another transaction. Challenge it.';
    case 'invalid_ife_challenge':
      return 'An in-flight exit was challenged as non-canonical although it is canonical. Respond to the challenge.';
    case 'piggyback_available':
      return 'An in-flight exit has started for a transaction that was never included: piggyback your inputs or outputs to get them out.';
    default:
      return `Event ${event.kind}.`;
  }
}

function alarmReason(alarms: readonly AlarmName[], inputs: StatusInputs): string {
  if (alarms.includes('boot_in_progress')) return 'Starting: Ethereum has not answered yet.';
  if (alarms.includes('ethereum_connection_error'))
    return `Ethereum cannot be reached (${inputs.ethereum?.error ?? 'no answer'}), so the chain cannot be checked.`;
  if (alarms.includes('ethereum_stalled_sync')) {
    const s = Math.round((inputs.now - (inputs.ethereum?.lastHeightChangeAt ?? 0)) / 1000);
    return `Ethereum has not produced a new block for ${s} s, so new child blocks cannot be checked.`;
  }
  return `The operator cannot be reached (${inputs.getter?.error ?? 'no answer'}); blocks cannot be checked until it answers.`;
}

/**
 * `invalid` wins over everything (it is persisted and does not heal); then `unknown` while Ethereum or
 * the operator cannot be read; then `syncing` while behind; else `valid`.
 */
export function deriveStatus(inputs: StatusInputs): StatusReport {
  const alarms = alarmsOf(inputs);
  const invalidating = orderEvents(inputs.events.filter(isChainInvalidating));
  if (invalidating.length > 0) {
    return { status: { kind: 'invalid', reason: describeEvent(invalidating[0]!) }, alarms };
  }
  if (alarms.length > 0)
    return { status: { kind: 'unknown', reason: alarmReason(alarms, inputs) }, alarms };
  const { ethereum, getter } = inputs;
  const lastMined = ethereum!.lastMinedChildBlock;
  const lastValidated = getter?.lastAppliedBlock ?? 0n;
  if (!getter || lastValidated < lastMined || !ethereum!.caughtUp || ethereum!.ethSyncing) {
    const reason =
      lastValidated < lastMined
        ? `Checking child blocks: ${lastValidated} of ${lastMined} validated.`
        : 'Catching up with Ethereum.';
    return { status: { kind: 'syncing', reason }, alarms };
  }
  const attention = orderEvents(inputs.events);
  const reason =
    attention.length > 0
      ? `Every block up to ${lastValidated} is valid, but: ${describeEvent(attention[0]!)}`
      : `Every block up to ${lastValidated} is valid.`;
  return { status: { kind: 'valid', reason }, alarms };
}
