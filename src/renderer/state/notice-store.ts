// Notices from main (every byzantine event and alarm, with the deadline and the action), shown in
// the window whether or not desktop notifications are on, each once; and the action a notification
// click or a toast's Open asks to open, kept until the unlocked wallet can open it.
import { create } from 'zustand';
import type { NoticeRoute, NoticeView } from '../../shared/exits';
import { noticeRouteSchema } from '../../shared/ipc-schemas';
import { subscribe } from '../ipc/client';

export interface ShownNotice extends NoticeView {
  key: string;
}

/** At most this many notices are shown; older ones drop off (each stays in the deadlines list). */
export const MAX_NOTICES = 5;

interface NoticeStore {
  notices: ShownNotice[];
  /** Keys of every notice seen since start, shown or dismissed: a repeat is not shown again. */
  seen: ReadonlySet<string>;
  /** The action to open as soon as the wallet is unlocked and shown. */
  pending: NoticeRoute | null;
  receive(notice: NoticeView): void;
  dismiss(key: string): void;
  open(route: NoticeRoute): void;
  /** Takes the pending action (the shell opens it). */
  take(): NoticeRoute | null;
  /** Follows main's `notice` and `notice.open` events; returns the unsubscribe function. */
  follow(): () => void;
}

/** The routes this window knows (main's schema); anything else from main is ignored, not followed. */
export function isNoticeRoute(value: unknown): value is NoticeRoute {
  return noticeRouteSchema.safeParse(value).success;
}

/** The screen and the action's focus key of a route. */
export function routeTarget(route: NoticeRoute): {
  screen: 'home' | 'exits';
  focus: string | null;
} {
  if (route.target === 'challenge') return { screen: 'exits', focus: `challenge:${route.utxoPos}` };
  if (route.target === 'exit-everything') return { screen: 'exits', focus: 'exit-everything' };
  return { screen: 'home', focus: null };
}

const keyOf = (n: NoticeView): string =>
  JSON.stringify([n.kind, n.title, n.body, n.deadline, n.route]);

export const useNoticeStore = create<NoticeStore>((set, get) => ({
  notices: [],
  seen: new Set(),
  pending: null,
  receive(notice) {
    if (typeof notice?.title !== 'string' || !isNoticeRoute(notice.route)) return;
    const key = keyOf(notice);
    if (get().seen.has(key)) return;
    set((s) => ({
      seen: new Set(s.seen).add(key),
      notices: [{ ...notice, key }, ...s.notices].slice(0, MAX_NOTICES),
    }));
  },
  dismiss(key) {
    set((s) => ({ notices: s.notices.filter((n) => n.key !== key) }));
  },
  open(route) {
    if (isNoticeRoute(route)) set({ pending: route });
  },
  take() {
    const route = get().pending;
    if (route) set({ pending: null });
    return route;
  },
  follow() {
    try {
      const stops = [
        subscribe('notice', (notice) => get().receive(notice)),
        subscribe('notice.open', (route) => get().open(route)),
      ];
      return () => stops.forEach((stop) => stop());
    } catch {
      // No bridge (the page was opened outside the app): the session screen says so.
      return () => undefined;
    }
  },
}));
