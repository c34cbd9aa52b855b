// Where each notice's action opens in the window: the route the shell sends on a click and the
// toast's Open button follows.
import { describe, expect, it } from 'vitest';
import { noticeRouteSchema } from '../../shared/ipc-schemas';
import { noticeForAlarm, noticeForEvent } from './notifier';

describe('notice routes', () => {
  it('an invalid exit opens its challenge; a chain-invalidating event opens exit everything', () => {
    const invalidExit = noticeForEvent({
      kind: 'invalid_exit',
      details: { utxo_pos: 2_000_000_000n, scheduled_finalization_time: 1_700_000_000 },
    });
    expect(invalidExit.route).toEqual({
      screen: 'exits',
      target: 'challenge',
      utxoPos: '2000000000',
    });
    for (const kind of ['invalid_block', 'block_withholding', 'unchallenged_exit'])
      expect(noticeForEvent({ kind, details: { utxo_pos: 5n } }).route).toEqual({
        screen: 'exits',
        target: 'exit-everything',
      });
  });

  it('an alarm, or an exit event without a usable position, opens the chain status', () => {
    expect(noticeForAlarm('ethereum_connection_error', 'Ethereum is unreachable.').route).toEqual({
      screen: 'home',
      target: 'status',
    });
    expect(
      noticeForEvent({ kind: 'invalid_exit', details: { utxo_pos: '12; drop table' } }).route,
    ).toEqual({ screen: 'home', target: 'status' });
  });

  it('every route it makes passes the schema the shell checks before sending', () => {
    const notices = [
      noticeForEvent({ kind: 'invalid_exit', details: { utxo_pos: 7 } }),
      noticeForEvent({ kind: 'invalid_block', details: {} }),
      noticeForAlarm('operator_unreachable', 'The operator does not answer.'),
    ];
    for (const n of notices) expect(noticeRouteSchema.safeParse(n.route).success).toBe(true);
  });
});
