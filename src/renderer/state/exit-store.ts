// Standard exits from the renderer: the account's exits and safe mode as main reports them, and the
// actions that protect the money: exit one output, challenge an invalid exit, process a token's
// queue, exit everything through main's durable outbox. Main hands back unsigned calls; every one is
// rebuilt here from the data it came with (exit-tx.ts) and refused if main's differs, then signed
// with the account's key and relayed by eth.send, one at a time, each waited for until mined.
import { create } from 'zustand';
import type { TxRequest } from '../../plasma/contracts';
import type { ExitView, OutboxItem, SafeModeState, UnsignedCall } from '../../shared/exits';
import { request, subscribe } from '../ipc/client';
import { fromDecimalString } from '../wallet/amounts';
import { gasWithMargin, signEthereumTx } from '../wallet/ethereum-tx';
import {
  challengeExitStep,
  planStandardExit,
  processExitsStep,
  type ExitStep,
} from '../wallet/exit-tx';
import type { UnlockedVault } from '../wallet/vault';
import { errorText } from './errors';

/** One action in progress or just finished, shown by the screen that started it. */
export interface ExitAction {
  /** What it is for: `exit:<utxoPos>`, `challenge:<utxoPos>`, `process:<token>`, `everything`. */
  key: string;
  activity: string | null;
  /** Ethereum transactions sent so far. */
  hashes: string[];
  error: string | null;
  done: string | null;
}

export interface Signer {
  vault: UnlockedVault;
  owner: string;
  /** The PlasmaFramework, from the chain snapshot (where queues are added and exits processed). */
  framework: string;
}

interface ExitStore {
  address: string | null;
  exits: ExitView[];
  outbox: OutboxItem[];
  safeMode: SafeModeState | null;
  action: ExitAction | null;
  error: string | null;
  /** The output whose exit review the Exits screen opens (set from Home's outputs list). */
  reviewing: string | null;
  review(utxoPos: string | null): void;
  pollMs: number;
  maxPolls: number;
  /** Loads the account's exits, outbox and safe mode, and follows main's events; returns the stop. */
  follow(address: string): () => void;
  refresh(): Promise<void>;
  exitOutput(signer: Signer, utxoPos: string): Promise<void>;
  challenge(signer: Signer, utxoPos: string): Promise<void>;
  process(signer: Signer, token: string, count: number): Promise<void>;
  /** Plans and queues every own output in the outbox, then sends what is still pending. */
  exitEverything(signer: Signer): Promise<void>;
  /** Sends the outbox entries not yet sent (after a restart; `retryFailed` also retries failures). */
  resumeOutbox(signer: Signer, retryFailed?: boolean): Promise<void>;
  acknowledgeSafeMode(): Promise<void>;
  clearAction(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FALLBACK_GAS = 500_000n;

/** Main's call must be exactly the one built here from the same data; nothing is sent otherwise. */
export function checkCall(built: TxRequest, theirs: UnsignedCall): void {
  const same =
    built.to.toLowerCase() === theirs.to.toLowerCase() &&
    built.data.toLowerCase() === theirs.data.toLowerCase() &&
    (built.value ?? 0n) === fromDecimalString(theirs.value, 'call value');
  if (!same) {
    throw new Error(
      'The Ethereum call from the wallet service does not match the one Vigil built from the same data; nothing was sent.',
    );
  }
}

export const useExitStore = create<ExitStore>((set, get) => {
  function act(change: Partial<ExitAction>) {
    const action = get().action;
    if (action) set({ action: { ...action, ...change } });
  }

  async function minedNonce(owner: string, nonce: number): Promise<void> {
    for (let i = 0; i < get().maxPolls; i++) {
      if ((await request('eth.account', { address: owner })).nonce > nonce) return;
      await sleep(get().pollMs);
    }
    throw new Error('Ethereum has not mined the transaction yet. Check the node, then try again.');
  }

  /**
   * Signs and relays one step, waits until it is mined; `beforeSend` runs with the hash first (the
   * outbox records it before the transaction leaves, so a restart never sends that exit again).
   */
  async function send(
    signer: Signer,
    step: ExitStep,
    gasHint: string | null,
    beforeSend?: (hash: string) => Promise<void>,
  ): Promise<string> {
    act({ activity: `${step.description} Signing and sending…` });
    const [account, fee] = await Promise.all([
      request('eth.account', { address: signer.owner }),
      request('eth.feeData'),
    ]);
    let gasLimit = FALLBACK_GAS;
    if (gasHint !== null) gasLimit = fromDecimalString(gasHint, 'gas');
    else {
      try {
        const { gas } = await request('eth.estimateGas', {
          from: signer.owner,
          to: step.request.to,
          data: step.request.data,
          value: (step.request.value ?? 0n).toString(),
        });
        gasLimit = gasWithMargin(fromDecimalString(gas, 'gas estimate'));
      } catch {
        // A call that depends on an earlier one (an exit before its queue is mined) cannot be
        // estimated; the fixed limit covers every exit-game call.
      }
    }
    const signed = signEthereumTx(signer.vault.signer(signer.owner), step.request, {
      fee,
      nonce: account.nonce,
      gasLimit,
    });
    if (beforeSend) await beforeSend(signed.hash);
    const { hash } = await request('eth.send', { raw: signed.raw });
    act({ hashes: [...(get().action?.hashes ?? []), hash], activity: 'Waiting for Ethereum…' });
    await minedNonce(signer.owner, account.nonce);
    return hash;
  }

  /** The exit of one output, main's calls checked against the ones built from its exit data. */
  async function exitSteps(signer: Signer, utxoPos: string) {
    const data = await request('exit.data', { utxoPos });
    const last = data.calls.at(-1);
    if (!last) throw new Error('The wallet service returned no exit call for this output.');
    const steps = planStandardExit({
      framework: signer.framework,
      exitGame: last.to,
      token: data.token,
      hasExitQueue: data.queueExists,
      utxoPos: fromDecimalString(data.utxoPos, 'output position'),
      txBytes: data.txBytes,
      proof: data.proof,
      bond: fromDecimalString(data.bond, 'exit bond'),
    });
    if (steps.length !== data.calls.length) {
      throw new Error(
        'The wallet service’s exit calls do not match the exit data; nothing was sent.',
      );
    }
    steps.forEach((s, i) => checkCall(s.request, data.calls[i]!));
    return steps.map((step, i) => ({ step, gas: data.calls[i]!.gas }));
  }

  async function running(key: string, activity: string, run: () => Promise<string>) {
    if (get().action && get().action!.activity !== null) {
      throw new Error('Another exit action is still running; wait for it to finish.');
    }
    set({ action: { key, activity, hashes: [], error: null, done: null } });
    try {
      const done = await run();
      act({ activity: null, done });
    } catch (error) {
      act({ activity: null, error: errorText(error) });
    }
    await get().refresh();
  }

  return {
    address: null,
    exits: [],
    outbox: [],
    safeMode: null,
    action: null,
    error: null,
    reviewing: null,
    review: (reviewing) => set({ reviewing }),
    pollMs: 1000,
    maxPolls: 600,
    clearAction: () => set({ action: null }),

    follow(address) {
      if (address !== get().address) set({ address, exits: [], outbox: [], action: null });
      void get().refresh();
      const stops = [
        subscribe('exit.changed', ({ exit }) => {
          if (exit.owner.toLowerCase() !== get().address?.toLowerCase()) return;
          const rest = get().exits.filter((e) => e.exitId !== exit.exitId);
          set({ exits: [...rest, exit] });
        }),
        subscribe('safeMode.changed', (safeMode) => set({ safeMode })),
      ];
      return () => stops.forEach((stop) => stop());
    },

    async refresh() {
      const address = get().address;
      try {
        const safeMode = await request('safeMode.get');
        set({ safeMode });
        if (!address) return;
        const [exits, outbox] = await Promise.all([
          request('exit.list', { address }),
          request('exit.outbox.list', { address }),
        ]);
        if (address === get().address) set({ exits, outbox, error: null });
      } catch (error) {
        set({ error: errorText(error) });
      }
    },

    exitOutput: (signer, utxoPos) =>
      running(`exit:${utxoPos}`, 'Reading the exit data…', async () => {
        for (const { step, gas } of await exitSteps(signer, utxoPos)) {
          await send(signer, step, gas);
        }
        return 'The exit started. Process it once its challenge period is over.';
      }),

    challenge: (signer, utxoPos) =>
      running(`challenge:${utxoPos}`, 'Reading the challenge data…', async () => {
        const data = await request('exit.challengeData', {
          utxoPos,
          challenger: signer.owner,
        });
        const step = challengeExitStep({
          exitGame: data.call.to,
          exitId: fromDecimalString(data.exitId, 'exit id'),
          exitingTx: data.exitingTx,
          challengeTx: data.txBytes,
          inputIndex: data.inputIndex,
          sig: data.sig,
          sender: signer.owner,
        });
        checkCall(step.request, data.call);
        await send(signer, step, data.call.gas);
        return 'The invalid exit is challenged: it is removed and its bond is paid to you.';
      }),

    process: (signer, token, count) =>
      running(`process:${token}`, 'Preparing processExits…', async () => {
        const call = await request('exit.processCall', { token, maxExits: count });
        const step = processExitsStep({ framework: signer.framework, token, count });
        checkCall(step.request, call);
        await send(signer, step, call.gas);
        return 'Exits processed: every exit whose time had come is paid out on Ethereum.';
      }),

    exitEverything: (signer) =>
      running('everything', 'Planning the exits…', async () => {
        const plan = await request('exit.plan', { address: signer.owner });
        const todo = plan.items.filter((i) => !i.alreadyExiting).map((i) => i.utxoPos);
        if (todo.length) {
          await request('exit.outbox.add', { address: signer.owner, utxoPositions: todo });
        }
        return sendOutbox(signer, false);
      }),

    resumeOutbox: (signer, retryFailed = false) =>
      running('everything', 'Resuming the exits…', () => sendOutbox(signer, retryFailed)),

    async acknowledgeSafeMode() {
      try {
        set({ safeMode: await request('safeMode.acknowledge') });
      } catch (error) {
        set({ error: errorText(error) });
      }
    },
  };

  /** Sends each outbox entry still pending (and failed ones when asked), recording it as sent first. */
  async function sendOutbox(signer: Signer, retryFailed: boolean): Promise<string> {
    const outbox = await request('exit.outbox.list', { address: signer.owner });
    set({ outbox });
    const due = outbox.filter(
      (o) => o.state === 'pending' || (retryFailed && o.state === 'failed'),
    );
    for (const [i, item] of due.entries()) {
      act({ activity: `Exit ${i + 1} of ${due.length}: output ${item.utxoPos}…` });
      for (const { step, gas } of await exitSteps(signer, item.utxoPos)) {
        await send(
          signer,
          step,
          gas,
          step.kind === 'start_standard_exit'
            ? async (hash) => {
                await request('exit.outbox.markSent', { id: item.id, ethTxHash: hash });
              }
            : undefined,
        );
      }
    }
    const left = outbox.length - due.length;
    return `${due.length} exit${due.length === 1 ? '' : 's'} sent${left ? `; ${left} already under way` : ''}. Process them once their challenge period is over.`;
  }
});
