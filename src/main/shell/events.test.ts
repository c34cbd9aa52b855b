import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as stub from '../../../e2e/support/electron-stub';
import type { NoticeView } from '../../shared/exits';
import { EVENT_CHANNEL } from '../../shared/ipc';
import type { ChainEventView } from '../../shared/wallet';
import type { AppEventListener, AppEvents } from '../wallet/services';
import { electronNotifier, forwardAppEvents, openNoticeAction } from './events';

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

const unsafe: NoticeView = {
  kind: 'invalid_block',
  title: 'Chain unsafe: exit your funds',
  body: 'Child block 3000 is invalid.',
  deadline: null,
  action: 'Open Vigil and exit all your funds to Ethereum now.',
  route: { screen: 'exits', target: 'exit-everything' },
};

/** A window that records what the shell did to it. */
function recordingWindow(minimized = false) {
  const win = new stub.BrowserWindow({});
  const did: string[] = [];
  win.isMinimized = () => minimized;
  win.restore = () => void did.push('restore');
  win.show = () => void did.push('show');
  win.focus = () => void did.push('focus');
  return { win, did };
}

describe('electronNotifier', () => {
  beforeEach(() => {
    stub.Notification.shown.length = 0;
    stub.Notification.instances.length = 0;
  });

  it('shows each notice with its action, only while notifications are on', () => {
    let on = true;
    const notifier = electronNotifier(() => on);
    notifier.notify(unsafe);
    on = false;
    notifier.notify(unsafe);
    expect(stub.Notification.shown).toEqual([
      {
        title: 'Vigil: Chain unsafe: exit your funds',
        body: 'Child block 3000 is invalid. Open Vigil and exit all your funds to Ethereum now.',
      },
    ]);
  });

  it('a click brings the window up and opens the notice’s action there', () => {
    const { win, did } = recordingWindow(true);
    const notifier = electronNotifier(
      () => true,
      () => win as never,
    );
    const challenge: NoticeView = {
      ...unsafe,
      kind: 'invalid_exit',
      deadline: 1_700_000_000,
      route: { screen: 'exits', target: 'challenge', utxoPos: '2000000000' },
    };
    notifier.notify(challenge);
    notifier.notify(unsafe);
    expect(stub.Notification.shown[0]!.body).toBe(
      'Child block 3000 is invalid. Deadline: 2023-11-14 22:13 UTC. Open Vigil and exit all your funds to Ethereum now.',
    );
    expect(win.webContents.sent).toEqual([]);
    stub.Notification.instances[0]!.emit('click');
    expect(did).toEqual(['restore', 'show', 'focus']);
    expect(win.webContents.sent).toEqual([
      [
        EVENT_CHANNEL,
        'notice.open',
        { screen: 'exits', target: 'challenge', utxoPos: '2000000000' },
      ],
    ]);
    stub.Notification.instances[1]!.emit('click');
    expect(win.webContents.sent[1]).toEqual([
      EVENT_CHANNEL,
      'notice.open',
      { screen: 'exits', target: 'exit-everything' },
    ]);
  });
});

describe('openNoticeAction', () => {
  it('does nothing without a window, and sends no route the window does not know', () => {
    expect(openNoticeAction(null, unsafe.route)).toBe(false);
    const { win, did } = recordingWindow();
    const hostile = { screen: 'exits', target: 'challenge', utxoPos: '1; rm -rf' };
    expect(openNoticeAction(win as never, hostile as never)).toBe(false);
    expect(openNoticeAction(win as never, { screen: 'settings' } as never)).toBe(false);
    expect(win.webContents.sent).toEqual([]);
    expect(openNoticeAction(win as never, { screen: 'home', target: 'status' })).toBe(true);
    expect(did).toEqual(['show', 'focus']);
  });
});
