// Main's events to the window (the preload forwards EVENT_CHANNEL to `window.vigil.on`), and the
// Electron Notifier: a desktop notification for every new byzantine event, in plain words with the
// deadline and the action, when notifications are on.
import { Notification, type BrowserWindow } from 'electron';
import { EVENT_CHANNEL } from '../../shared/ipc';
import type { Notifier } from '../wallet/notifier';
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

export function electronNotifier(notificationsOn: () => boolean): Notifier {
  return {
    notify(notice) {
      if (!notificationsOn() || !Notification.isSupported()) return;
      new Notification({
        title: `Vigil: ${notice.title}`,
        body: `${notice.body} ${notice.action}`,
      }).show();
    },
  };
}
