// Main's events to the window (the preload forwards EVENT_CHANNEL to `window.vigil.on`), and a
// desktop notification when a new chain-invalidating event opens and notifications are on.
import { Notification, type BrowserWindow } from 'electron';
import { EVENT_CHANNEL, type EventPayloads } from '../../shared/ipc';
import type { AppEvents } from '../wallet/services';

export function forwardAppEvents(
  events: AppEvents,
  window: () => BrowserWindow | null,
  notificationsOn: () => boolean,
): () => void {
  return events.subscribe((name, payload) => {
    const win = window();
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, name, payload);
    if (name !== 'chain.event') return;
    const { event, isNew } = payload as EventPayloads['chain.event'];
    if (!isNew || !event.invalidating || !notificationsOn() || !Notification.isSupported()) return;
    new Notification({ title: 'Vigil: the chain is not safe', body: event.description }).show();
  });
}
