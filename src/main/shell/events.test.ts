import { describe, expect, it, vi } from 'vitest';
import * as stub from '../../../e2e/support/electron-stub';
import { EVENT_CHANNEL } from '../../shared/ipc';
import type { ChainEventView } from '../../shared/wallet';
import type { AppEventListener, AppEvents } from '../wallet/services';
import { forwardAppEvents } from './events';

vi.mock('electron', () => import('../../../e2e/support/electron-stub'));

function source(): AppEvents & { emit: AppEventListener } {
  const listeners = new Set<AppEventListener>();
  return {
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit: (name, payload) => listeners.forEach((l) => l(name, payload)),
  };
}

const event = (invalidating: boolean): ChainEventView => ({
  id: 1,
  kind: invalidating ? 'invalid_block' : 'invalid_exit',
  description: 'Child block 3000 is invalid. Exit all your funds to Ethereum now.',
  invalidating,
  details: {},
  firstSeenAt: 1,
});

describe('forwardAppEvents', () => {
  it('sends every event to the window and notifies only new invalidating ones when allowed', () => {
    const events = source();
    const win = new stub.BrowserWindow({});
    let notify = true;
    const stop = forwardAppEvents(
      events,
      () => win as never,
      () => notify,
    );
    events.emit('chain.event', { event: event(false), isNew: true });
    events.emit('chain.event', { event: event(true), isNew: false });
    expect(stub.Notification.shown).toEqual([]);
    events.emit('chain.event', { event: event(true), isNew: true });
    expect(stub.Notification.shown).toEqual([
      { title: 'Vigil: the chain is not safe', body: event(true).description },
    ]);
    notify = false;
    events.emit('chain.event', { event: event(true), isNew: true });
    expect(stub.Notification.shown).toHaveLength(1);
    expect(win.webContents.sent).toHaveLength(4);
    expect(win.webContents.sent[0]).toEqual([
      EVENT_CHANNEL,
      'chain.event',
      { event: event(false), isNew: true },
    ]);
    stop();
    events.emit('chain.event', { event: event(true), isNew: true });
    expect(win.webContents.sent).toHaveLength(4);
  });
});
