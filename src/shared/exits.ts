// The exits' part of the IPC contract (issue 8): standard exits of the user's own outputs, challenges
// of invalid exits, processing, the exit-everything plan and its durable outbox, the offline proof
// bundle, and safe mode. Same conventions as wallet.ts: amounts, positions, exit ids and block numbers
// as decimal strings; addresses, hashes and bytes as lowercase 0x hex; times in Unix seconds.
// Main never signs: every Ethereum action comes back as an unsigned call ({to, data, value}) that the
// renderer signs and relays through `eth.send`.
// No runtime dependencies: this file is bundled into the preload and the renderer.
import type { DecimalString, HexString } from './wallet';

/** An Ethereum call for the renderer to sign (nonce, gas and fees are the renderer's). */
export interface UnsignedCall {
  to: HexString;
  data: HexString;
  /** Wei to send along (the exit bond, or 0). */
  value: DecimalString;
  /** Main's gas estimate with margin, when the node could estimate it (else null). */
  gas: DecimalString | null;
}

// ---------------------------------------------------------------------------------------------
// Exits the watcher tracks.

/**
 * - `started`: the exit is on chain and in its challenge period.
 * - `exitable`: the challenge period is over; processExits will pay it once its turn comes.
 * - `processed`: processExits paid it (or skipped it because its output was already spent).
 * - `challenged`: a challenge removed it; its bond went to the challenger.
 */
export type ExitState = 'started' | 'exitable' | 'processed' | 'challenged';

export interface ExitView {
  exitId: DecimalString;
  utxoPos: DecimalString;
  owner: HexString;
  token: HexString;
  amount: DecimalString;
  state: ExitState;
  /** The startStandardExit transaction. */
  ethTxHash: HexString;
  ethHeight: number;
  /** Seconds: when processExits may pay it (the scheduled finalization time of spec/protocol.md). */
  exitableAt: number;
  /** 0 = next to be processed in its token's queue; null once it left the queue (or was challenged). */
  queuePosition: number | null;
  /**
   * How many queue entries of the same token (everybody's exits, in the contract's priority order)
   * processExits must process before this one: its queue position.
   */
  exitsBefore: number | null;
  /** True when the watcher found the exit invalid (its output was spent or never existed). */
  invalid: boolean;
}

// ---------------------------------------------------------------------------------------------
// Data to start an exit of an own output (works without the operator: from the watcher's store).

export interface ExitData {
  utxoPos: DecimalString;
  /** The RLP of the transaction that created the output (for a deposit: its deposit transaction). */
  txBytes: HexString;
  /** The Merkle proof of txBytes in its block (concatenated 32-byte siblings). */
  proof: HexString;
  /** The block root the proof leads to, as submitted on Ethereum. */
  root: HexString;
  token: HexString;
  amount: DecimalString;
  /** The startStandardExit bond in wei. */
  bond: DecimalString;
  /** Seconds: the earliest time processExits could pay an exit started now. */
  earliestProcessingAt: number;
  /**
   * The queue position an exit started now would take: how many exits of the token (everybody's)
   * processExits must process before it. 0 when the queue is missing.
   */
  exitsBefore: number;
  /** Whether the token has an exit queue; if not, `addExitQueue` must be sent first. */
  queueExists: boolean;
  /** The calls to send in order: addExitQueue (only when the queue is missing), then startStandardExit. */
  calls: UnsignedCall[];
}

// ---------------------------------------------------------------------------------------------
// Data to challenge an invalid exit (someone exits an output that was already spent).

export interface ChallengeData {
  exitId: DecimalString;
  utxoPos: DecimalString;
  /** The transaction the exit claims (the output's creating transaction). */
  exitingTx: HexString;
  /** The transaction that spent the output. */
  txBytes: HexString;
  inputIndex: number;
  /** The exiting output owner's signature on the spending transaction. */
  sig: HexString;
  /** The bond the challenger receives, in wei. */
  bondReward: DecimalString;
  call: UnsignedCall;
}

// ---------------------------------------------------------------------------------------------
// Exit everything: the plan and its durable outbox.

export interface ExitPlanItem {
  utxoPos: DecimalString;
  token: HexString;
  amount: DecimalString;
  /** Already exiting (an exit for this output exists on chain or in the outbox): nothing to do. */
  alreadyExiting: boolean;
}

export interface ExitPlan {
  address: HexString;
  items: ExitPlanItem[];
  /** Tokens without an exit queue: an addExitQueue call is needed for each before their exits. */
  missingQueues: HexString[];
  /** The bonds of all exits still to start, in wei. */
  totalBond: DecimalString;
  /** Gas for all the calls still to send (estimated per call; a fixed figure when the node cannot). */
  estimatedGas: DecimalString;
}

/**
 * An outbox entry's life: `pending` (added, not yet sent) → `sent` (hash recorded, then relayed) →
 * `confirmed` (the exit is seen on chain) or `failed` (the transaction reverted; the user may retry
 * it). A recorded hash Ethereum never received (the app stopped before relaying) makes the entry
 * `pending` again, so the resume sends it. An output is never in the outbox twice.
 */
export type OutboxState = 'pending' | 'sent' | 'confirmed' | 'failed';

export interface OutboxItem {
  id: number;
  address: HexString;
  utxoPos: DecimalString;
  state: OutboxState;
  ethTxHash: HexString | null;
  /** Why it failed, in plain words. */
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

// ---------------------------------------------------------------------------------------------
// The offline proof bundle (format documented in docs/exit-bundle.md).

export interface BundleExport {
  /** The bundle's JSON text (save it somewhere safe: it exits the funds without the operator). */
  json: string;
  entries: number;
}

export interface BundleImportReport {
  /** Entries whose proof matched the root read from Ethereum. */
  accepted: DecimalString[];
  /** Every refused entry by name (its utxo position, or `bundle` for the whole file), with why. */
  rejected: { entry: string; reason: string }[];
}

// ---------------------------------------------------------------------------------------------
// Safe mode: after a chain-invalidating event only exits, challenges and processing are allowed.

export interface SafeModeState {
  active: boolean;
  /** The event kind that switched it on (`invalid_block`, `unchallenged_exit`…). */
  reason: string | null;
  since: number | null;
  /** When the user acknowledged; acknowledging switches safe mode off until the next event. */
  acknowledgedAt: number | null;
}

/**
 * Where a notice's action is in the window: Exits → exit everything, the challenge of one invalid
 * exit (its alert's button), or Home with the chain status (an alarm: Vigil cannot watch).
 */
export type NoticeRoute =
  | { screen: 'exits'; target: 'exit-everything' }
  | { screen: 'exits'; target: 'challenge'; utxoPos: DecimalString }
  | { screen: 'home'; target: 'status' };

/** A notice main shows as a system notification (and pushes to the window). */
export interface NoticeView {
  kind: string;
  title: string;
  body: string;
  /** Seconds: the deadline to act, when there is one. */
  deadline: number | null;
  /** The one action that protects the user, in plain words. */
  action: string;
  /** That action in the window: what clicking the notice (or the toast's Open) opens. */
  route: NoticeRoute;
}

// ---------------------------------------------------------------------------------------------
// Requests (added to RequestMap in ipc.ts) and events.

type NoParams = Record<string, never>;

export interface ExitRequestMap {
  'exit.list': { params: { address: HexString }; result: ExitView[] };
  'exit.data': { params: { utxoPos: DecimalString }; result: ExitData };
  /**
   * `challenger` is the account that will send the challenge: the contract binds the call to its
   * sender (senderData), so `call` is built for it (for the zero address when it is not given).
   */
  'exit.challengeData': {
    params: { utxoPos: DecimalString; challenger?: HexString };
    result: ChallengeData;
  };
  /** The processExits call for a token's queue (pays every exit whose time has come). */
  'exit.processCall': {
    params: { token: HexString; maxExits?: number };
    result: UnsignedCall;
  };
  'exit.plan': { params: { address: HexString }; result: ExitPlan };
  /** Adds the outputs to the outbox (ones already there are left as they are). */
  'exit.outbox.add': {
    params: { address: HexString; utxoPositions: DecimalString[] };
    result: OutboxItem[];
  };
  'exit.outbox.list': { params: { address: HexString }; result: OutboxItem[] };
  /** Records the Ethereum transaction that carries this entry's exit (before or right after eth.send). */
  'exit.outbox.markSent': { params: { id: number; ethTxHash: HexString }; result: OutboxItem };
  'exit.bundle.export': { params: { address: HexString }; result: BundleExport };
  'exit.bundle.import': { params: { json: string }; result: BundleImportReport };
  'safeMode.get': { params: NoParams; result: SafeModeState };
  'safeMode.acknowledge': { params: NoParams; result: SafeModeState };
}

export interface ExitEventPayloads {
  /** An exit was seen, changed state, or left the queue. */
  'exit.changed': { exit: ExitView };
  'safeMode.changed': SafeModeState;
  notice: NoticeView;
  /** The user clicked a desktop notification: open its action. */
  'notice.open': NoticeRoute;
}
