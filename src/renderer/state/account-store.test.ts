import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeBridge } from '../testing/fake-bridge';
import { settledPending, useAccountStore, type PendingPayment } from './account-store';

const ALICE = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const BOB = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc';

function pending(blknum: string, txHash: string): PendingPayment {
  return {
    blknum,
    txindex: 0,
    txHash,
    summary: 'Sent 1 ETH',
    submittedAt: 1,
    spends: ['1000000000000'],
  };
}

beforeEach(() => {
  useAccountStore.setState({
    address: null,
    child: null,
    ethereum: null,
    history: [],
    search: '',
    pending: [],
    error: null,
  });
});

describe('account store', () => {
  it('loads both chains and the history of the selected account', async () => {
    const bridge = installFakeBridge({
      'chain.account': ({ address }) => ({ address, balances: [], utxos: [] }),
      'eth.account': ({ address }) => ({ address, eth: '5', tokens: [], nonce: 3 }),
      'chain.history': () => [],
    });
    await useAccountStore.getState().select(ALICE);
    const state = useAccountStore.getState();
    expect(state.ethereum?.nonce).toBe(3);
    expect(state.child?.address).toBe(ALICE);
    expect(bridge.calls.map((c) => c.method).sort()).toEqual([
      'chain.account',
      'chain.history',
      'eth.account',
    ]);
  });

  it('searches the history through main and ignores an outdated answer', async () => {
    const bridge = installFakeBridge({
      'chain.account': ({ address }) => ({ address, balances: [], utxos: [] }),
      'eth.account': ({ address }) => ({ address, eth: '0', tokens: [], nonce: 0 }),
      'chain.history': ({ search }) => (search ? [{ txHash: search }] : []),
    });
    await useAccountStore.getState().select(ALICE);
    await useAccountStore.getState().setSearch('  lunch  ');
    expect(bridge.calls.at(-1)).toEqual({
      method: 'chain.history',
      params: { address: ALICE, search: 'lunch', limit: 200 },
    });
    expect(useAccountStore.getState().history).toEqual([{ txHash: 'lunch' }]);
  });

  it('switching accounts drops the previous data and its pending payments', async () => {
    installFakeBridge({
      'chain.account': ({ address }) => ({ address, balances: [], utxos: [] }),
      'eth.account': ({ address }) => ({ address, eth: '0', tokens: [], nonce: 0 }),
      'chain.history': () => [],
    });
    await useAccountStore.getState().select(ALICE);
    useAccountStore.getState().addPending(pending('4000', '0xaa'));
    await useAccountStore.getState().select(BOB);
    expect(useAccountStore.getState().pending).toEqual([]);
    expect(useAccountStore.getState().child?.address).toBe(BOB);
  });

  it('says what failed and keeps going', async () => {
    installFakeBridge({
      'chain.account': () => {
        throw new Error('The watcher has not started.');
      },
      'eth.account': ({ address }) => ({ address, eth: '0', tokens: [], nonce: 0 }),
      'chain.history': () => [],
    });
    await useAccountStore.getState().select(ALICE);
    expect(useAccountStore.getState().error).toBe('The watcher has not started.');
    expect(useAccountStore.getState().loading).toBe(false);
  });
});

describe('pending payments', () => {
  it('stay until a validated block holds them', () => {
    const list = [pending('4000', '0xaa'), pending('5000', '0xbb')];
    expect(settledPending(list, '3000')).toHaveLength(2);
    expect(settledPending(list, '4000').map((p) => p.txHash)).toEqual(['0xbb']);
    expect(settledPending(list, '5000')).toEqual([]);
  });

  it('are settled through the store and never listed twice', () => {
    useAccountStore.getState().addPending(pending('4000', '0xaa'));
    useAccountStore.getState().addPending(pending('4000', '0xaa'));
    expect(useAccountStore.getState().pending).toHaveLength(1);
    useAccountStore.getState().settle('4000');
    expect(useAccountStore.getState().pending).toEqual([]);
  });
});
