import { describe, expect, it } from 'vitest';
import type { ByzantineEvent } from '../store';
import { deriveStatus, describeEvent, orderEvents, type StatusInputs } from './status';
import { ethereumProgress, getterProgress } from './testing';

const NOW = 10_000_000;

function event(
  id: number,
  kind: string,
  details: Record<string, unknown> = {},
  at = NOW,
): ByzantineEvent {
  return {
    id,
    kind,
    key: String(id),
    details,
    firstSeenAt: at,
    lastSeenAt: at,
    resolvedAt: undefined,
  };
}

function inputs(partial: Partial<StatusInputs> = {}): StatusInputs {
  return {
    ethereum: ethereumProgress({
      lastPollAt: NOW,
      lastHeightChangeAt: NOW,
      lastMinedChildBlock: 3000n,
    }),
    getter: getterProgress({ lastAppliedBlock: 3000n }),
    events: [],
    config: { stalledSyncThresholdMs: 20_000 },
    now: NOW,
    ...partial,
  };
}

describe('deriveStatus', () => {
  it('is valid when caught up with no events', () => {
    const { status, alarms } = deriveStatus(inputs());
    expect(status.kind).toBe('valid');
    expect(status.reason).toBe('Every block up to 3000 is valid.');
    expect(alarms).toEqual([]);
  });

  it('is syncing while validated blocks lag the mined ones, or the follower is behind', () => {
    const behind = deriveStatus(inputs({ getter: getterProgress({ lastAppliedBlock: 1000n }) }));
    expect(behind.status).toEqual({
      kind: 'syncing',
      reason: 'Checking child blocks: 1000 of 3000 validated.',
    });
    const follower = deriveStatus(
      inputs({
        ethereum: ethereumProgress({
          lastPollAt: NOW,
          lastHeightChangeAt: NOW,
          lastMinedChildBlock: 3000n,
          caughtUp: false,
        }),
      }),
    );
    expect(follower.status.kind).toBe('syncing');
    expect(deriveStatus(inputs({ getter: undefined })).status.kind).toBe('syncing');
  });

  it('is unknown while booting, and raises boot_in_progress', () => {
    const r = deriveStatus(inputs({ ethereum: undefined, getter: undefined }));
    expect(r.status.kind).toBe('unknown');
    expect(r.alarms).toEqual(['boot_in_progress']);
  });

  it('is unknown when Ethereum cannot be reached, naming the error', () => {
    const r = deriveStatus(
      inputs({
        ethereum: ethereumProgress({
          lastPollAt: NOW - 1000,
          lastHeightChangeAt: NOW,
          error: 'connect ECONNREFUSED',
        }),
      }),
    );
    expect(r.status.kind).toBe('unknown');
    expect(r.alarms).toEqual(['ethereum_connection_error']);
    expect(r.status.reason).toContain('ECONNREFUSED');
  });

  it('raises ethereum_stalled_sync when the head has not moved past the threshold', () => {
    const r = deriveStatus(
      inputs({
        ethereum: ethereumProgress({
          lastPollAt: NOW,
          lastHeightChangeAt: NOW - 20_001,
          lastMinedChildBlock: 3000n,
        }),
      }),
    );
    expect(r.alarms).toEqual(['ethereum_stalled_sync']);
    expect(r.status).toEqual({
      kind: 'unknown',
      reason:
        'Ethereum has not produced a new block for 20 s, so new child blocks cannot be checked.',
    });
    const fresh = deriveStatus(
      inputs({
        ethereum: ethereumProgress({
          lastPollAt: NOW,
          lastHeightChangeAt: NOW - 20_000,
          lastMinedChildBlock: 3000n,
        }),
      }),
    );
    expect(fresh.alarms).toEqual([]);
  });

  it('is unknown while the operator cannot be reached', () => {
    const r = deriveStatus(
      inputs({ getter: getterProgress({ lastAppliedBlock: 3000n, error: 'operator: timeout' }) }),
    );
    expect(r.alarms).toEqual(['operator_unreachable']);
    expect(r.status.kind).toBe('unknown');
  });

  it('is invalid on any chain-invalidating event, even while Ethereum is down', () => {
    const r = deriveStatus(
      inputs({
        ethereum: ethereumProgress({ lastPollAt: NOW, lastHeightChangeAt: NOW, error: 'down' }),
        events: [
          event(1, 'invalid_block', { blknum: 5000n, hash: '0xab', error_type: 'tx_execution' }),
        ],
      }),
    );
    expect(r.status.kind).toBe('invalid');
    expect(r.status.reason).toBe(
      'Child block 5000 is invalid (tx_execution): the operator is cheating. Exit all your funds to Ethereum now.',
    );
    expect(r.alarms).toEqual(['ethereum_connection_error']);
  });

  it('stays valid with only non-invalidating events, and says what needs doing', () => {
    const r = deriveStatus(
      inputs({ events: [event(1, 'invalid_exit', { utxo_pos: 1000000000n })] }),
    );
    expect(r.status.kind).toBe('valid');
    expect(r.status.reason).toContain('Challenge the exit');
  });

  it('ignores internal events such as a block that failed to download once', () => {
    const r = deriveStatus(
      inputs({ events: [event(1, 'potential_block_withholding', { blknum: 4000n })] }),
    );
    expect(r.status.kind).toBe('valid');
  });
});

describe('orderEvents', () => {
  it('follows spec §2.1, block-getter events newest first, internal ones dropped', () => {
    const ordered = orderEvents([
      event(1, 'invalid_block', {}, 100),
      event(2, 'block_withholding', {}, 200),
      event(3, 'piggyback_available', {}, 50),
      event(4, 'potential_block_withholding', {}, 10),
      event(5, 'unchallenged_exit', {}, 300),
      event(6, 'invalid_exit', {}, 20),
    ]);
    expect(ordered.map((e) => e.kind)).toEqual([
      'unchallenged_exit',
      'invalid_exit',
      'piggyback_available',
      'block_withholding',
      'invalid_block',
    ]);
  });
});

describe('describeEvent', () => {
  it('says what happened and the one protecting action for every kind', () => {
    for (const kind of [
      'invalid_block',
      'block_withholding',
      'unchallenged_exit',
      'unchallenged_piggyback',
      'unchallenged_non_canonical_ife',
    ]) {
      expect(describeEvent({ kind, details: { blknum: 1000n } })).toMatch(/Exit all your funds/);
    }
    for (const kind of ['invalid_exit', 'invalid_piggyback', 'non_canonical_ife']) {
      expect(describeEvent({ kind, details: {} })).toMatch(/Challenge/);
    }
    expect(describeEvent({ kind: 'invalid_ife_challenge', details: {} })).toMatch(/Respond/);
    expect(describeEvent({ kind: 'piggyback_available', details: {} })).toMatch(/piggyback/);
  });
});
