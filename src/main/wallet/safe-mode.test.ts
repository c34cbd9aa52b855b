import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ByzantineEvent } from '../store';
import { tempDir, type TempDir } from '../store/testing/tmp';
import { noticeForEvent, noticeText, RecordingNotifier } from './notifier';
import { SafeMode } from './safe-mode';

let tmp: TempDir;
beforeEach(() => (tmp = tempDir('vigil-safe-')));
afterEach(() => tmp.remove());

const event = (
  id: number,
  kind: string,
  details: Record<string, unknown> = {},
): ByzantineEvent => ({
  id,
  kind,
  key: String(id),
  details,
  firstSeenAt: 1,
  lastSeenAt: 1,
  resolvedAt: undefined,
});

describe('safe mode', () => {
  it('switches on at a chain-invalidating event, persists, and stays off for it once acknowledged', () => {
    let now = 1_000_000;
    const safe = new SafeMode(tmp.dir, 'devnet', () => now);
    expect(safe.observe([event(1, 'invalid_exit')])).toBeUndefined();
    expect(safe.refusal()).toBeNull();
    expect(safe.observe([event(2, 'unchallenged_exit')])).toMatchObject({
      active: true,
      reason: 'unchallenged_exit',
      since: 1000,
    });
    const restarted = new SafeMode(tmp.dir, 'devnet');
    expect(restarted.state().active).toBe(true);
    expect(restarted.refusal()).toMatch(/only exits, challenges and processing/);
    now = 2_000_000;
    expect(safe.acknowledge([event(2, 'unchallenged_exit')])).toMatchObject({
      active: false,
      acknowledgedAt: 2000,
    });
    expect(safe.observe([event(2, 'unchallenged_exit')])).toBeUndefined();
    expect(safe.observe([event(3, 'invalid_block')])?.reason).toBe('invalid_block');
  });
});

describe('notices', () => {
  it('say what happened, the deadline and the action', () => {
    const n = new RecordingNotifier();
    n.notify(
      noticeForEvent(
        event(1, 'invalid_exit', { utxo_pos: 5, scheduled_finalization_time: 1_700_000_000 }),
      ),
    );
    n.notify(
      noticeForEvent(event(2, 'invalid_block', { blknum: 1000, error_type: 'tx_execution' })),
    );
    expect(n.notices[0]).toMatchObject({ kind: 'invalid_exit', deadline: 1_700_000_000 });
    expect(n.notices[0]!.body).toMatch(/output 5, which is already spent/);
    expect(noticeText(n.notices[0]!)).toMatch(
      /already spent.*Deadline: 2023-11-14 22:13 UTC\. Open Vigil and challenge/,
    );
    expect(n.notices[0]!.action).toMatch(/challenge/);
    expect(n.notices[1]).toMatchObject({ deadline: null, title: 'Chain unsafe: exit your funds' });
    expect(n.notices[1]!.action).toMatch(/exit all your funds/);
  });
});
