// Notices in the window: each byzantine event and alarm main reported, with its deadline and an
// Open button that goes to its action (the same place a click on the desktop notification opens).
import { useEffect } from 'react';
import { useNavStore } from '../state/nav-store';
import { routeTarget, useNoticeStore } from '../state/notice-store';
import { nowSeconds, showTime } from '../view/deadlines';

export function NoticeToasts() {
  const notices = useNoticeStore((s) => s.notices);
  const open = useNoticeStore((s) => s.open);
  const dismiss = useNoticeStore((s) => s.dismiss);
  const now = nowSeconds();
  return (
    <section aria-label="Notices" aria-live="assertive" className="notices">
      {notices.map((n) => (
        <article key={n.key} aria-label={n.title} className="toast">
          <strong>{n.title}</strong>
          <p>{n.body}</p>
          <p data-testid="notice-deadline">
            {n.deadline === null ? 'Act now.' : `Deadline: ${showTime(n.deadline, now)}.`}
          </p>
          <p className="muted">{n.action}</p>
          <div className="row">
            <button
              type="button"
              onClick={() => {
                dismiss(n.key);
                open(n.route);
              }}
            >
              Open
            </button>
            <button type="button" className="secondary" onClick={() => dismiss(n.key)}>
              Dismiss
            </button>
          </div>
        </article>
      ))}
    </section>
  );
}

/** Opens the action a notice asked for (a notification click, or Open), once the wallet is shown. */
export function useNoticeRoutes(): void {
  const pending = useNoticeStore((s) => s.pending);
  useEffect(() => {
    const route = pending && useNoticeStore.getState().take();
    if (!route) return;
    const { screen, focus } = routeTarget(route);
    useNavStore.getState().open(screen, focus);
  }, [pending]);
}

/**
 * For the component holding an action: when a notice asked to open `key`, focus `element` and
 * bring it into view as soon as it can act (`ready`), then clear the request.
 */
export function useFocusRequest(key: string, element: HTMLElement | null, ready: boolean): void {
  const asked = useNavStore((s) => s.focus === key);
  useEffect(() => {
    if (!asked || !ready || !element) return;
    element.scrollIntoView?.({ block: 'center' });
    element.focus();
    useNavStore.getState().focused();
  }, [asked, ready, element]);
}
