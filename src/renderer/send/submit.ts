// Signs a reviewed Plasma transaction with the selected account and hands it to main; the result
// becomes a pending payment until a validated block holds it.
import { useAccountStore } from '../state/account-store';
import { useChainStore } from '../state/chain-store';
import { useSessionStore } from '../state/session-store';
import { signTransaction, type SpendingTx } from '../wallet/signing';
import { request } from '../ipc/client';
import type { SubmitResult } from '../../shared/wallet';
import type { Address } from '../../plasma/types';

export async function signAndSubmit(
  from: string,
  spending: SpendingTx,
  summary: string,
): Promise<SubmitResult> {
  const vault = useSessionStore.getState().vault;
  const snapshot = useChainStore.getState().snapshot;
  if (!vault) throw new Error('The wallet is locked; unlock it and try again.');
  if (!snapshot) throw new Error('The watcher has not reported the chain yet; wait a moment.');
  const signed = signTransaction(
    vault.signer(from),
    spending,
    snapshot.network.contracts.plasmaFramework as Address,
  );
  const result = await request('chain.submit', { transaction: signed.transaction });
  useAccountStore.getState().addPending({
    ...result,
    summary,
    submittedAt: Date.now(),
    spends: spending.inputs.map((u) => u.utxoPos.toString()),
  });
  return result;
}
