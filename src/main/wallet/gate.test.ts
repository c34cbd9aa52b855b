import { describe, expect, it } from 'vitest';
import type { NetworkProfile } from '../../shared/network-profile';
import type { ByzantineEvent } from '../store';
import type { WatcherSnapshot } from '../watcher/watcher';
import { chainSnapshot, submitRefusal } from './gate';

function snapshot(
  over: Partial<WatcherSnapshot> & { validated?: bigint; mined?: bigint } = {},
): WatcherSnapshot {
  const { validated = 5000n, mined = 5000n, ...rest } = over;
  return {
    status: { kind: 'valid', reason: 'Every block is checked.' },
    alarms: [],
    ethereum: {
      headHeight: 120,
      headTimestamp: 1,
      ethSyncing: false,
      lastMinedChildBlock: mined,
      lastMinedChildBlockTimestamp: 1,
      caughtUp: true,
      lastPollAt: 1,
      lastHeightChangeAt: 1,
      error: undefined,
    },
    getter: {
      lastAppliedBlock: validated,
      pendingBlocks: 0,
      appliedBlocks: 5,
      appliedTransactions: 9,
      halted: false,
      error: undefined,
    },
    events: [],
    heights: {},
    at: 1234,
    ...rest,
  };
}

const event = (kind: string, details: Record<string, unknown> = {}): ByzantineEvent => ({
  id: 7,
  kind,
  key: 'k',
  details,
  firstSeenAt: 99,
  lastSeenAt: 99,
  resolvedAt: undefined,
});

const profile = {
  name: 'Local devnet',
  chainId: 31337,
  childBlockInterval: 1000,
  contracts: {
    plasmaFramework: '0x' + 'AA'.repeat(20),
    ethVault: '0x' + 'bb'.repeat(20),
    erc20Vault: '0x' + 'cc'.repeat(20),
    paymentExitGame: '0x' + 'dd'.repeat(20),
  },
} as NetworkProfile;

describe('the submit gate', () => {
  it('lets a payment through when the chain is valid and every mined block is validated', () => {
    expect(submitRefusal(snapshot())).toBeNull();
    expect(chainSnapshot(snapshot(), profile)).toMatchObject({
      canSubmit: true,
      submitRefusal: null,
      lastValidatedBlock: '5000',
      lastMinedBlock: '5000',
      network: { contracts: { plasmaFramework: '0x' + 'aa'.repeat(20) } },
    });
  });

  it.each([
    [
      'syncing',
      'Checking block 3000 of 5000.',
      /paused until Vigil has checked the chain.*3000 of 5000/,
    ],
    [
      'unknown',
      'Ethereum cannot be reached.',
      /cannot check the chain.*Ethereum cannot be reached/,
    ],
    ['invalid', 'Block 4000 is invalid.', /chain is invalid.*Block 4000/],
  ] as const)('refuses while the status is %s, with the reason', (kind, reason, words) => {
    const s = snapshot({ status: { kind, reason } });
    expect(submitRefusal(s)).toMatch(words);
    expect(chainSnapshot(s, profile)).toMatchObject({ canSubmit: false, status: { kind, reason } });
  });

  it('refuses while the operator has submitted blocks not validated yet, even if "valid"', () => {
    expect(submitRefusal(snapshot({ validated: 4000n, mined: 5000n }))).toMatch(
      /validated up to 4000 .* submitted up to 5000/,
    );
  });

  it('refuses while a chain-invalidating event is open, naming the event', () => {
    const s = snapshot({ events: [event('block_withholding', { blknum: 6000n })] });
    expect(submitRefusal(s)).toMatch(/not safe.*block 6000.*Exit all your funds/);
    const view = chainSnapshot(s, profile).events[0]!;
    expect(view).toMatchObject({
      kind: 'block_withholding',
      invalidating: true,
      details: { blknum: '6000' },
    });
  });

  it('lets a payment through past an open event that does not invalidate the chain', () => {
    const s = snapshot({
      events: [event('invalid_exit', { utxo_pos: 5n, raw: new Uint8Array([1]) })],
    });
    expect(submitRefusal(s)).toBeNull();
    expect(chainSnapshot(s, profile).events[0]).toMatchObject({
      invalidating: false,
      details: { utxo_pos: '5', raw: '0x01' },
    });
  });
});
