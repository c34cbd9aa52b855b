// What the user is told outside the window: every byzantine event and alarm, in plain words, with
// the deadline and the one action that protects them. The Electron shell implements Notifier with
// system notifications; tests use the recorder.
import type { NoticeRoute, NoticeView } from '../../shared/exits';
import { noticeRouteSchema } from '../../shared/ipc-schemas';
import type { ByzantineEvent } from '../store';
import { describeEvent, isChainInvalidating } from '../watcher/status';

export interface Notifier {
  notify(notice: NoticeView): void;
}

/** A Notifier that keeps what it was told (tests, and the headless app). */
export class RecordingNotifier implements Notifier {
  readonly notices: NoticeView[] = [];
  notify(notice: NoticeView): void {
    this.notices.push(notice);
  }
}

const TITLES: Record<string, string> = {
  invalid_exit: 'Invalid exit: challenge it',
  unchallenged_exit: 'Chain unsafe: exit your funds',
  invalid_block: 'Chain unsafe: exit your funds',
  block_withholding: 'Chain unsafe: exit your funds',
  unchallenged_piggyback: 'Chain unsafe: exit your funds',
  unchallenged_non_canonical_ife: 'Chain unsafe: exit your funds',
};

/**
 * The notice of a byzantine event. The deadline of an invalid exit is its scheduled finalization
 * time (after it the exit pays out); a chain-invalidating event has none the watcher can name, so
 * it says to act now.
 */
export function noticeForEvent(event: Pick<ByzantineEvent, 'kind' | 'details'>): NoticeView {
  const invalidating = isChainInvalidating(event);
  const sft = event.details['scheduled_finalization_time'];
  const deadline = event.kind === 'invalid_exit' && typeof sft === 'number' ? sft : null;
  const action = invalidating
    ? 'Open Vigil and exit all your funds to Ethereum now (Exits → Exit everything).'
    : event.kind === 'invalid_exit'
      ? 'Open Vigil and challenge the exit (Challenge this exit, in the alert) before its deadline.'
      : 'Open Vigil and follow the alert.';
  return {
    kind: event.kind,
    title: TITLES[event.kind] ?? `Chain event: ${event.kind}`,
    body: describeEvent(event),
    deadline,
    action,
    route: routeOf(event, invalidating),
  };
}

const STATUS_ROUTE: NoticeRoute = { screen: 'home', target: 'status' };

/** Where the window shows the event's action: exit everything, or the challenge of that exit. */
function routeOf(
  event: Pick<ByzantineEvent, 'kind' | 'details'>,
  invalidating: boolean,
): NoticeRoute {
  if (invalidating) return { screen: 'exits', target: 'exit-everything' };
  if (event.kind !== 'invalid_exit') return STATUS_ROUTE;
  const pos = event.details['utxo_pos'];
  const utxoPos = typeof pos === 'bigint' || typeof pos === 'number' ? String(pos) : pos;
  const challenge = noticeRouteSchema.safeParse({ screen: 'exits', target: 'challenge', utxoPos });
  return challenge.success ? challenge.data : STATUS_ROUTE;
}

/**
 * A notice as one text for a desktop notification: what happened, the deadline (UTC, as the
 * notification cannot say whose clock) and the action. The window shows the deadline its own way.
 */
export function noticeText(notice: NoticeView): string {
  const when =
    notice.deadline === null
      ? ''
      : ` Deadline: ${new Date(notice.deadline * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC.`;
  return `${notice.body}${when} ${notice.action}`;
}

/** The notice of a watcher alarm (Ethereum or the operator unreachable…): Vigil cannot watch. */
export function noticeForAlarm(alarm: string, reason: string): NoticeView {
  return {
    kind: alarm,
    title: 'Vigil cannot check the chain',
    body: reason,
    deadline: null,
    action:
      'Check your connection and the Ethereum node; do not pay anyone until Vigil checks the chain again.',
    route: STATUS_ROUTE,
  };
}
