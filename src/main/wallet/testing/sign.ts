// Signs an unsigned call from main the way the renderer does (nonce and fees asked from main
// through the router), for the chain tests of the exit flows.
import { Wallet } from 'ethers';
import type { Hex } from '../../../plasma/types';
import type { UnsignedCall } from '../../../shared/exits';
import type { RequestMethod, RequestParams, RequestResult } from '../../../shared/ipc';
import { dispatch, type HandlerTable } from '../../ipc/router';

export async function askRouter<M extends RequestMethod>(
  table: HandlerTable,
  method: M,
  params: RequestParams<M>,
): Promise<RequestResult<M>> {
  const r = await dispatch(table, method, params);
  if (!r.ok) throw new Error(`${method} refused: ${r.error.code}: ${r.error.message}`);
  return r.value as RequestResult<M>;
}

/** The raw signed transaction of `call` from `key`'s account, with main's gas or `fallbackGas`. */
export async function signCall(
  table: HandlerTable,
  key: Hex,
  call: UnsignedCall,
  fallbackGas = 1_000_000n,
): Promise<string> {
  const wallet = new Wallet(key);
  const [account, fees] = await Promise.all([
    askRouter(table, 'eth.account', { address: wallet.address.toLowerCase() }),
    askRouter(table, 'eth.feeData', {}),
  ]);
  return wallet.signTransaction({
    type: 2,
    chainId: fees.chainId,
    nonce: account.nonce,
    to: call.to,
    data: call.data,
    value: BigInt(call.value),
    gasLimit: call.gas === null ? fallbackGas : BigInt(call.gas),
    maxFeePerGas: BigInt(fees.maxFeePerGas),
    maxPriorityFeePerGas: BigInt(fees.maxPriorityFeePerGas),
  });
}
