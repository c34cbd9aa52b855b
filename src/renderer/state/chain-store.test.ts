import { beforeEach, describe, expect, it } from 'vitest';
import { ETH_TOKEN } from '../../plasma/types';
import { eventFixture, snapshotFixture } from '../testing/fixtures';
import { installFakeBridge } from '../testing/fake-bridge';
import { tokenOf, useChainStore } from './chain-store';

const VTT = '0x5fbdb2315678afecb367f032d93f642f64180aa3';

beforeEach(() => {
  useChainStore.setState({
    snapshot: null,
    error: null,
    fees: [],
    feesError: null,
    tokens: { [ETH_TOKEN]: useChainStore.getState().tokens[ETH_TOKEN]! },
  });
});

describe('chain store', () => {
  it('follows pushed snapshots, and fetches one at once when an event is pushed', async () => {
    let served = snapshotFixture();
    const bridge = installFakeBridge({ 'chain.snapshot': () => served });
    const stop = useChainStore.getState().follow();
    await expect.poll(() => useChainStore.getState().snapshot?.lastValidatedBlock).toBe('3000');
    const invalid = snapshotFixture({ status: { kind: 'invalid', reason: 'bad block' } });
    bridge.emit('chain.snapshot', invalid);
    expect(useChainStore.getState().snapshot).toEqual(invalid);
    served = snapshotFixture({ events: [eventFixture({ id: 7 })] });
    bridge.emit('chain.event', { event: eventFixture({ id: 7 }), isNew: true });
    await expect.poll(() => useChainStore.getState().snapshot?.events[0]?.id).toBe(7);
    stop();
    bridge.emit('chain.snapshot', snapshotFixture());
    expect(useChainStore.getState().snapshot?.events[0]?.id).toBe(7);
  });

  it('keeps the last snapshot and says why when the watcher does not answer', async () => {
    installFakeBridge({
      'chain.snapshot': () => {
        throw Object.assign(new Error('The watcher is starting.'), { code: 'not_ready' });
      },
    });
    await useChainStore.getState().refresh();
    expect(useChainStore.getState().error).toBe('The watcher is starting.');
    expect(useChainStore.getState().snapshot).toBeNull();
  });

  it('reads each token once and learns fee tokens from the fee table', async () => {
    const bridge = installFakeBridge({
      'eth.token': ({ address }) => ({
        address,
        symbol: 'VTT',
        decimals: 6,
        name: 'Vigil Test Token',
      }),
      'chain.fees': () => [{ token: VTT, amount: '10', symbol: 'VTT', decimals: 6 }],
    });
    await useChainStore
      .getState()
      .loadTokens([VTT, VTT.toUpperCase().replace('0X', '0x'), ETH_TOKEN]);
    await useChainStore.getState().loadTokens([VTT]);
    expect(bridge.calls.filter((c) => c.method === 'eth.token')).toHaveLength(1);
    expect(tokenOf(useChainStore.getState().tokens, VTT).symbol).toBe('VTT');
    await useChainStore.getState().loadFees();
    expect(useChainStore.getState().fees).toHaveLength(1);
  });

  it('a token main cannot read stays shown in base units', async () => {
    installFakeBridge({
      'eth.token': () => {
        throw new Error('not an ERC20');
      },
    });
    await useChainStore.getState().loadTokens([VTT]);
    expect(tokenOf(useChainStore.getState().tokens, VTT)).toMatchObject({ decimals: 0 });
  });
});
