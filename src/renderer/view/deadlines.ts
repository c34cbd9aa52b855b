// What the user must do by when: challenge invalid exits before they can be processed, process own
// exits once their time has come, exit everything while the chain is unsafe. Pure, so the rules are
// unit-tested without a DOM.
import type { ExitView, SafeModeState } from '../../shared/exits';
import type { ChainEventView } from '../../shared/wallet';

export interface Deadline {
  /** Seconds; null for "as soon as possible". */
  by: number | null;
  /** The action, in plain words. */
  action: string;
  /** Why, in plain words. */
  why: string;
  urgency: 'now' | 'soon' | 'later';
  /** What the action needs: the output to challenge or the token to process. */
  target: { kind: 'challenge'; utxoPos: string } | { kind: 'process'; token: string } | null;
}

const HOUR = 3600;

function detail(event: ChainEventView, key: string): string | null {
  const v = event.details[key];
  return v === null || v === undefined || typeof v === 'boolean' ? null : String(v);
}

function urgency(by: number | null, now: number): Deadline['urgency'] {
  if (by === null || by <= now + HOUR) return 'now';
  return by <= now + 24 * HOUR ? 'soon' : 'later';
}

/** Every deadline, soonest first (as-soon-as-possible ones on top). */
export function deadlines(args: {
  events: ChainEventView[];
  exits: ExitView[];
  safeMode: SafeModeState | null;
  now: number;
}): Deadline[] {
  const { now } = args;
  const out: Deadline[] = [];
  if (args.safeMode?.active || args.events.some((e) => e.invalidating)) {
    out.push({
      by: null,
      action: 'Exit everything',
      why: 'The chain is not safe: your outputs must leave it before the operator can take them.',
      urgency: 'now',
      target: null,
    });
  }
  const challenged = new Set<string>();
  for (const event of args.events) {
    if (event.kind !== 'invalid_exit' && event.kind !== 'unchallenged_exit') continue;
    const utxoPos = detail(event, 'utxo_pos');
    const raw = detail(event, 'scheduled_finalization_time');
    const by = raw !== null && /^\d+$/.test(raw) ? Number(raw) : null;
    // invalid_exit and unchallenged_exit of one exit: one thing to do.
    if (!utxoPos || challenged.has(utxoPos)) continue;
    challenged.add(utxoPos);
    out.push({
      by,
      action: `Challenge the exit of output ${utxoPos}`,
      why: 'Someone is exiting an output that was already spent; challenge it before it is processed (the bond is yours).',
      urgency: urgency(by, now),
      target: { kind: 'challenge', utxoPos },
    });
  }
  const byToken = new Map<string, ExitView>();
  for (const exit of args.exits) {
    if (exit.invalid || (exit.state !== 'started' && exit.state !== 'exitable')) continue;
    const first = byToken.get(exit.token);
    if (!first || exit.exitableAt < first.exitableAt) byToken.set(exit.token, exit);
  }
  for (const exit of byToken.values()) {
    // Main judges by Ethereum's clock, which may run ahead of this computer's.
    const ready = exit.state === 'exitable' || exit.exitableAt <= now;
    out.push({
      by: exit.exitableAt,
      action: ready ? 'Process your exits' : 'Process your exits after this time',
      why: ready
        ? 'The challenge period is over: processExits pays your exit and returns the bond.'
        : 'Your exit is in its challenge period; it can be paid out from this time on.',
      urgency: ready ? 'now' : urgency(exit.exitableAt, now) === 'later' ? 'later' : 'soon',
      target: { kind: 'process', token: exit.token },
    });
  }
  return out.sort((a, b) => (a.by ?? -Infinity) - (b.by ?? -Infinity));
}

/** The clock in seconds, the unit of every time main sends. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A time as the user reads it, with how long from now. */
export function showTime(seconds: number, now: number): string {
  const at = new Date(seconds * 1000).toLocaleString();
  const delta = seconds - now;
  if (Math.abs(delta) < 60) return `${at} (now)`;
  const words = (s: number) =>
    s >= 2 * 86400
      ? `${Math.round(s / 86400)} days`
      : s >= 2 * HOUR
        ? `${Math.round(s / HOUR)} hours`
        : `${Math.max(1, Math.round(s / 60))} minutes`;
  return delta > 0 ? `${at} (in ${words(delta)})` : `${at} (${words(-delta)} ago)`;
}
