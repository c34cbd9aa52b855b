// A deposit from Ethereum into the Plasma chain, step by step: (reset and) approve for an ERC20,
// then the deposit; each Ethereum transaction built and signed here, relayed by main, and followed
// until it took effect, then the deposit until the watcher says it is spendable.
import { create } from 'zustand';
import type { DepositProgress } from '../../shared/wallet';
import { request } from '../ipc/client';
import { fromDecimalString } from '../wallet/amounts';
import {
  gasWithMargin,
  planDeposit,
  signEthereumTx,
  type DepositStep,
} from '../wallet/ethereum-tx';
import type { UnlockedVault } from '../wallet/vault';
import { errorText } from './errors';

export interface DepositRun {
  steps: {
    description: string;
    state: 'waiting' | 'sending' | 'done' | 'failed';
    hash: string | null;
  }[];
  progress: DepositProgress | null;
  /** What is happening now, in words. */
  activity: string | null;
  error: string | null;
  finished: boolean;
}

export interface DepositArgs {
  vault: UnlockedVault;
  owner: string;
  token: string;
  amount: bigint;
  vaults: { ethVault: string; erc20Vault: string };
}

interface DepositStore {
  run: DepositRun | null;
  /** How long to wait between polls (tests shorten it). */
  pollMs: number;
  /** How many polls before giving up on a step (a stuck Ethereum node says so rather than hang). */
  maxPolls: number;
  start(args: DepositArgs): Promise<void>;
  reset(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const useDepositStore = create<DepositStore>((set, get) => {
  function update(change: Partial<DepositRun>) {
    const run = get().run;
    if (run) set({ run: { ...run, ...change } });
  }
  function markStep(i: number, state: DepositRun['steps'][number]['state'], hash?: string) {
    const run = get().run;
    if (!run) return;
    const steps = run.steps.map((s, j) => (j === i ? { ...s, state, hash: hash ?? s.hash } : s));
    set({ run: { ...run, steps } });
  }
  async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    for (let i = 0; i < get().maxPolls; i++) {
      const value = await read();
      if (ok(value)) return value;
      await sleep(get().pollMs);
    }
    throw new Error(`${what} is taking too long. Check the Ethereum node, then try again.`);
  }

  async function send(args: DepositArgs, step: DepositStep): Promise<string> {
    const [account, fee] = await Promise.all([
      request('eth.account', { address: args.owner }),
      request('eth.feeData'),
    ]);
    const { gas } = await request('eth.estimateGas', {
      from: args.owner,
      to: step.request.to,
      data: step.request.data,
      value: (step.request.value ?? 0n).toString(),
    });
    const signed = signEthereumTx(args.vault.signer(args.owner), step.request, {
      fee,
      nonce: account.nonce,
      gasLimit: gasWithMargin(fromDecimalString(gas, 'gas estimate')),
    });
    return (await request('eth.send', { raw: signed.raw })).hash;
  }

  return {
    run: null,
    pollMs: 1000,
    maxPolls: 600,
    reset: () => set({ run: null }),
    async start(args) {
      set({
        run: {
          steps: [],
          progress: null,
          activity: 'Checking the allowance…',
          error: null,
          finished: false,
        },
      });
      let current = -1;
      try {
        const isEth = /^0x0{40}$/.test(args.token);
        const allowance = isEth
          ? 0n
          : fromDecimalString(
              (await request('eth.allowance', { owner: args.owner, token: args.token })).amount,
            );
        const steps = planDeposit({ ...args, allowance });
        update({
          steps: steps.map((s) => ({ description: s.description, state: 'waiting', hash: null })),
        });
        for (const [i, step] of steps.entries()) {
          current = i;
          markStep(i, 'sending');
          update({ activity: `${step.description} Signing and sending…` });
          const hash = await send(args, step);
          markStep(i, 'sending', hash);
          if (step.kind === 'deposit') {
            update({
              activity: 'Waiting for Ethereum and the Plasma chain to accept the deposit…',
            });
            const progress = await until(
              'The deposit',
              async () => {
                const p = await request('deposit.progress', { ethTxHash: hash });
                update({ progress: p });
                return p;
              },
              (p) => p.stage === 'spendable' || p.stage === 'failed',
            );
            if (progress.stage === 'failed')
              throw new Error(progress.error ?? 'The deposit transaction failed on Ethereum.');
          } else {
            const target = step.kind === 'reset_approval' ? 0n : args.amount;
            update({ activity: `Waiting for Ethereum to mine: ${step.description}` });
            await until(
              'The approval',
              async () =>
                fromDecimalString(
                  (await request('eth.allowance', { owner: args.owner, token: args.token })).amount,
                ),
              (a) => (target === 0n ? a === 0n : a >= target),
            );
          }
          markStep(i, 'done');
        }
        update({ activity: null, finished: true });
      } catch (error) {
        if (current >= 0) markStep(current, 'failed');
        update({ activity: null, error: errorText(error) });
      }
    },
  };
});
