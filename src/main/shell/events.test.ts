import { describe, expect, it, vi } from 'vitest';
import * as stub from '../../../e2e/support/electron-stub';
import { EVENT_CHANNEL } from '../../shared/ipc';
import type { ChainEventView } from '../../shared/wallet';
import type { AppEventListener, AppEvents } from '../wallet/services';
import { electronNotifier, forwardAppEvents } from './events';

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
  it('sends every event to the window until stopped', () => {
    const events = source();
    const win = new stub.BrowserWindow({});
    const stop = forwardAppEvents(events, () => win as never);
    events.emit('chain.event', { event: event(false), isNew: true });
    events.emit('chain.event', { event: event(true), isNew: false });
    expect(win.webContents.sent).toHaveLength(2);
    expect(win.webContents.sent[0]).toEqual([
      EVENT_CHANNEL,
      'chain.event',
      { event: event(false), isNew: true },
    ]);
    stop();
    events.emit('chain.event', { event: event(true), isNew: true });
    expect(win.webContents.sent).toHaveLength(2);
    expect(stub.Notification.shown).toEqual([]);
  });
});

describe('electronNotifier', () => {
  it('shows each notice with its action, only while notifications are on', () => {
    let on = true;
    const notifier = electronNotifier(() => on);
    const notice = {
      kind: 'invalid_block',
      title: 'Chain unsafe: exit your funds',
      body: 'Child block 3000 is invalid.',
      deadline: null,
      action: 'Open Vigil and exit all your funds to Ethereum now.',
    };
    notifier.notify(notice);
    on = false;
    notifier.notify(notice);
    expect(stub.Notification.shown).toEqual([
      {
        title: 'Vigil: Chain unsafe: exit your funds',
        body: 'Child block 3000 is invalid. Open Vigil and exit all your funds to Ethereum now.',
      },
    ]);
  });
});
