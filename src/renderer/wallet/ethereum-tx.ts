// Ethereum transactions built and signed in the renderer (main only relays them with eth.send): ETH
// and ERC20 deposits into the Plasma vaults, and the ERC20 approvals a deposit needs. Calldata comes
// from src/plasma contracts; fees, nonce and gas from main (eth.feeData, eth.account, eth.estimateGas).

import { Signature, Transaction, getBytes } from 'ethers';
import { depositTxRequest, erc20ApproveTx, type TxRequest } from '../../plasma/contracts';
import { vaultIdForToken } from '../../plasma/ids';
import type { Hex } from '../../plasma/types';
import type { EthereumFeeData } from '../../shared/wallet';
import { fromDecimalString } from './amounts';
import { WalletError } from './errors';
import type { AccountSigner } from './vault';
import { parseAddress } from './vault';

export type DepositStepKind = 'reset_approval' | 'approve' | 'deposit';

export interface DepositStep {
  kind: DepositStepKind;
  request: TxRequest;
  /** What this transaction does, in plain words. */
  description: string;
}

export interface DepositPlanArgs {
  owner: string;
  /** The zero address for ETH. */
  token: string;
  amount: bigint;
  vaults: { ethVault: string; erc20Vault: string };
  /** For an ERC20: the Erc20Vault's current allowance (eth.allowance). Ignored for ETH. */
  allowance?: bigint;
  /**
   * Whether a non-zero allowance must be set to 0 before a new non-zero approve (USDT-style tokens).
   * Default true: the extra transaction is harmless for other tokens and avoids a revert for these.
   */
  resetBeforeApprove?: boolean;
}

/**
 * The transactions a deposit needs, in order: for an ERC20 whose allowance is short, an approve (after
 * an approve of 0 when the allowance is non-zero and the token may need it), then the deposit. Send
 * them one after another, waiting for each to be mined (a deposit's gas can only be estimated once the
 * approve is in).
 */
export function planDeposit(args: DepositPlanArgs): DepositStep[] {
  const owner = parseAddress(args.owner);
  const token = parseAddress(args.token);
  if (typeof args.amount !== 'bigint' || args.amount <= 0n) {
    throw new WalletError('invalid_amount', 'A deposit must be more than zero.');
  }
  const deposit: DepositStep = {
    kind: 'deposit',
    request: depositTxRequest(args.vaults, { owner, token, amount: args.amount }),
    description:
      vaultIdForToken(token) === 1n
        ? 'Deposit ETH into the Plasma chain.'
        : 'Deposit the tokens into the Plasma chain.',
  };
  if (vaultIdForToken(token) === 1n) return [deposit];
  const allowance = args.allowance ?? 0n;
  if (typeof allowance !== 'bigint' || allowance < 0n) {
    throw new WalletError('invalid_amount', 'The current allowance must be zero or more.');
  }
  if (allowance >= args.amount) return [deposit];
  const steps: DepositStep[] = [];
  if (allowance > 0n && args.resetBeforeApprove !== false) {
    steps.push({
      kind: 'reset_approval',
      request: erc20ApproveTx(token, args.vaults.erc20Vault, 0n),
      description:
        'Set the vault’s allowance to 0 first (some tokens refuse to change a non-zero allowance).',
    });
  }
  steps.push({
    kind: 'approve',
    request: erc20ApproveTx(token, args.vaults.erc20Vault, args.amount),
    description: 'Allow the Plasma vault to take exactly the deposit amount.',
  });
  steps.push(deposit);
  return steps;
}

/** A gas estimate with headroom (25% by default): state can change between estimate and inclusion. */
export function gasWithMargin(estimate: bigint, percent = 25): bigint {
  if (typeof estimate !== 'bigint' || estimate <= 0n) {
    throw new WalletError('invalid_argument', 'A gas estimate must be more than zero.');
  }
  return estimate + (estimate * BigInt(percent) + 99n) / 100n;
}

export interface EthereumTxParams {
  /** From eth.feeData. */
  fee: EthereumFeeData;
  /** From eth.account (the next pending nonce); add 1 for each step already sent but not yet mined. */
  nonce: number;
  gasLimit: bigint;
}

export interface SignedEthereumTx {
  /** eth.send's `raw`. */
  raw: Hex;
  hash: Hex;
}

/** Builds the EIP-1559 transaction for `request` and signs it with `signer`. */
export function signEthereumTx(
  signer: AccountSigner,
  request: TxRequest,
  params: EthereumTxParams,
): SignedEthereumTx {
  const { fee, nonce, gasLimit } = params;
  if (!Number.isSafeInteger(fee.chainId) || fee.chainId <= 0) {
    throw new WalletError('invalid_argument', 'The network’s chain id is missing or invalid.');
  }
  if (!Number.isSafeInteger(nonce) || nonce < 0) {
    throw new WalletError(
      'invalid_argument',
      'The account nonce must be a whole number, 0 or more.',
    );
  }
  if (typeof gasLimit !== 'bigint' || gasLimit <= 0n || gasLimit > 30_000_000n) {
    throw new WalletError(
      'invalid_argument',
      'The gas limit must be above 0 and at most 30 million.',
    );
  }
  const maxFeePerGas = fromDecimalString(fee.maxFeePerGas, 'max fee per gas');
  const maxPriorityFeePerGas = fromDecimalString(fee.maxPriorityFeePerGas, 'priority fee per gas');
  if (maxPriorityFeePerGas > maxFeePerGas) {
    throw new WalletError(
      'invalid_argument',
      'The priority fee cannot exceed the max fee per gas.',
    );
  }
  const tx = Transaction.from({
    type: 2,
    chainId: BigInt(fee.chainId),
    nonce,
    to: request.to,
    data: request.data,
    value: request.value ?? 0n,
    gasLimit,
    maxFeePerGas,
    maxPriorityFeePerGas,
  });
  tx.signature = Signature.from(signer.signDigest(getBytes(tx.unsignedHash)));
  return { raw: tx.serialized as Hex, hash: tx.hash!.toLowerCase() as Hex };
}
