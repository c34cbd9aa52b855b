import { Transaction } from 'ethers';
import { describe, expect, it } from 'vitest';
import {
  addExitQueueTx,
  challengeStandardExitTx,
  depositEthTx,
  paymentExitGameInterface,
  processExitsTx,
  startStandardExitTx,
  type TxRequest,
} from '../../plasma/contracts';
import { ETH_TOKEN } from '../../plasma/types';
import type { WatcherStore } from '../store';
import { TEST_PROFILE } from '../watcher/testing';
import { WalletEthereum, walletProvider } from './ethereum';

const c = TEST_PROFILE.contracts;
const tx = (r: TxRequest, chainId = TEST_PROFILE.chainId) =>
  Transaction.from({ type: 2, chainId, to: r.to, data: r.data, value: r.value ?? 0n });

function relay(safeMode: string | null = null): WalletEthereum {
  const provider = walletProvider(TEST_PROFILE.rpcUrl, TEST_PROFILE.chainId);
  provider.destroy();
  return new WalletEthereum(provider, TEST_PROFILE, {} as WatcherStore, () => safeMode);
}

const exitCalls: TxRequest[] = [
  startStandardExitTx(c.paymentExitGame, {
    utxoPos: 1_000_000_000n,
    outputTx: '0x01',
    outputTxInclusionProof: `0x${'00'.repeat(512)}`,
    bond: 14_000_000_000_000_000n,
  }),
  challengeStandardExitTx(c.paymentExitGame, {
    exitId: 5n,
    exitingTx: '0x01',
    challengeTx: '0x02',
    inputIndex: 0n,
    witness: `0x${'11'.repeat(65)}`,
    sender: c.ethVault,
  }),
  processExitsTx(c.plasmaFramework, { token: ETH_TOKEN, topExitId: 0n, maxExitsToProcess: 3n }),
  addExitQueueTx(c.plasmaFramework, `0x${'77'.repeat(20)}`),
];

describe('eth.send relay', () => {
  it('relays the exit-game and framework exit calls, in safe mode too', () => {
    for (const safe of [null, 'Vigil is in safe mode']) {
      const r = relay(safe);
      for (const call of exitCalls) expect(r.relayRefusal(tx(call))).toBeNull();
    }
  });

  it('refuses other exit-game and framework functions, and deposits in safe mode', () => {
    const r = relay();
    const deleteIfe = {
      to: c.paymentExitGame,
      data: paymentExitGameInterface.encodeFunctionData('deleteNonPiggybackedInFlightExit', [1n]),
    } as TxRequest;
    expect(r.relayRefusal(tx(deleteIfe))).toMatch(/exit-game function other than/);
    const submitBlock = {
      to: c.plasmaFramework,
      data: '0xbaa47694' + '00'.repeat(32),
    } as TxRequest;
    expect(r.relayRefusal(tx(submitBlock))).toMatch(/framework function other than/);
    const deposit = depositEthTx(c.ethVault, { owner: c.erc20Vault, amount: 5n });
    expect(r.relayRefusal(tx(deposit))).toBeNull();
    expect(relay('Vigil is in safe mode').relayRefusal(tx(deposit))).toBe('Vigil is in safe mode');
    expect(r.relayRefusal(tx(exitCalls[0]!, 1))).toMatch(/signed for chain 1/);
  });
});
