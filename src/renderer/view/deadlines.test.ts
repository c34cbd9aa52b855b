import { describe, expect, it } from 'vitest';
import type { ExitView } from '../../shared/exits';
import type { ChainEventView } from '../../shared/wallet';
import { deadlines, showTime } from './deadlines';

const NOW = 1_800_000_000;
const ETH = '0x0000000000000000000000000000000000000000';

const exit = (over: Partial<ExitView>): ExitView => ({
  exitId: '1',
  utxoPos: '1000000000',
  owner: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
  token: ETH,
  amount: '5',
  state: 'started',
  ethTxHash: '0x' + '11'.repeat(32),
  ethHeight: 10,
  exitableAt: NOW + 7200,
  queuePosition: 0,
  exitsBefore: 0,
  invalid: false,
  ...over,
});

const invalidExit = (details: ChainEventView['details']): ChainEventView => ({
  id: 7,
  kind: 'invalid_exit',
  description: 'An exit of a spent output.',
  invalidating: false,
  details,
  firstSeenAt: 0,
});

describe('deadlines', () => {
  it('puts exit everything first when the chain is unsafe, then the soonest deadline', () => {
    const list = deadlines({
      events: [
        invalidExit({ utxo_pos: '2000000000', scheduled_finalization_time: NOW + 600 }),
        { ...invalidExit({ utxo_pos: '2000000000' }), kind: 'unchallenged_exit' },
      ],
      exits: [exit({})],
      safeMode: { active: true, reason: 'invalid_block', since: NOW, acknowledgedAt: null },
      now: NOW,
    });
    expect(list.map((d) => [d.action, d.urgency])).toEqual([
      ['Exit everything', 'now'],
      ['Challenge the exit of output 2000000000', 'now'],
      ['Process your exits after this time', 'soon'],
    ]);
    expect(list[1]!.target).toEqual({ kind: 'challenge', utxoPos: '2000000000' });
    expect(list[2]!.target).toEqual({ kind: 'process', token: ETH });
  });

  it('asks to process once an exit is due, one line per token, and ignores finished or invalid exits', () => {
    const list = deadlines({
      events: [],
      exits: [
        exit({ exitId: '1', exitableAt: NOW - 5, state: 'exitable' }),
        exit({ exitId: '2', exitableAt: NOW + 99 }),
        exit({ exitId: '3', state: 'processed' }),
        exit({ exitId: '4', invalid: true, token: '0x' + '22'.repeat(20) }),
      ],
      safeMode: null,
      now: NOW,
    });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ action: 'Process your exits', urgency: 'now', by: NOW - 5 });
  });

  it('survives hostile event details: no position means no line, a bad time means as soon as possible', () => {
    const list = deadlines({
      events: [
        invalidExit({ utxo_pos: null }),
        invalidExit({ utxo_pos: '5', scheduled_finalization_time: 'soon' }),
      ],
      exits: [],
      safeMode: null,
      now: NOW,
    });
    expect(list).toEqual([expect.objectContaining({ by: null, urgency: 'now' })]);
  });

  it('says times with how far away they are', () => {
    expect(showTime(NOW + 3 * 3600, NOW)).toMatch(/\(in 3 hours\)$/);
    expect(showTime(NOW - 120, NOW)).toMatch(/\(2 minutes ago\)$/);
    expect(showTime(NOW + 5 * 86400, NOW)).toMatch(/\(in 5 days\)$/);
    expect(showTime(NOW + 10, NOW)).toMatch(/\(now\)$/);
  });
});
