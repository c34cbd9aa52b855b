// Main's events to the window (the preload forwards EVENT_CHANNEL to `window.vigil.on`), and the
// Electron Notifier: a desktop notification for every new byzantine event, in plain words with the
// deadline and the action, when notifications are on; clicking it brings the window up on that action.
import { Notification, type BrowserWindow } from 'electron';
import type { NoticeRoute } from '../../shared/exits';
import { EVENT_CHANNEL } from '../../shared/ipc';
import { noticeRouteSchema } from '../../shared/ipc-schemas';
import { noticeText, type Notifier } from '../wallet/notifier';
import type { AppEvents } from '../wallet/services';

export function forwardAppEvents(
  events: AppEvents,
  window: () => BrowserWindow | null,
): () => void {
  return events.subscribe((name, payload) => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, name, payload);
  });
}

/**
 * What a click on a notification does: shows, restores and focuses the window, and tells the
 * renderer to open the notice's action (`notice.open`). False when there is no window to open or
 * the route is not one the window knows.
 */
export function openNoticeAction(win: BrowserWindow | null, route: NoticeRoute): boolean {
  const checked = noticeRouteSchema.safeParse(route);
  if (!win || win.isDestroyed() || !checked.success) return false;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  win.webContents.send(EVENT_CHANNEL, 'notice.open', checked.data);
  return true;
}

export function electronNotifier(
  notificationsOn: () => boolean,
  window: () => BrowserWindow | null = () => null,
): Notifier {
  // Electron drops the click handler of a notification it garbage-collected: hold each one until
  // it is clicked or closed.
  const live = new Set<Notification>();
  return {
    notify(notice) {
      if (!notificationsOn() || !Notification.isSupported()) return;
      const shown = new Notification({ title: `Vigil: ${notice.title}`, body: noticeText(notice) });
      live.add(shown);
      shown.on('click', () => {
        live.delete(shown);
        openNoticeAction(window(), notice.route);
      });
      shown.on('close', () => live.delete(shown));
      shown.show();
    },
  };
}
