// @vitest-environment happy-dom
// Notices in the window: each shown once with its deadline and an Open button that goes to its
// action; a click on the desktop notification (main's `notice.open`) opens the same place.
import { useState } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NoticeView } from '../../shared/exits';
import { act, fireEvent, render, screen, within } from '../testing/dom';
import { installFakeBridge, type FakeBridge } from '../testing/fake-bridge';
import { useNavStore } from '../state/nav-store';
import { useNoticeStore } from '../state/notice-store';
import { NoticeToasts, useFocusRequest, useNoticeRoutes } from './NoticeToasts';

const invalidExit: NoticeView = {
  kind: 'invalid_exit',
  title: 'Invalid exit: challenge it',
  body: 'Someone started an exit of output 2000000000, which is already spent.',
  deadline: Math.floor(Date.now() / 1000) + 3 * 86400,
  action:
    'Open Vigil and challenge the exit (Challenge this exit, in the alert) before its deadline.',
  route: { screen: 'exits', target: 'challenge', utxoPos: '2000000000' },
};
const unsafe: NoticeView = {
  kind: 'invalid_block',
  title: 'Chain unsafe: exit your funds',
  body: 'Child block 3000 is invalid.',
  deadline: null,
  action: 'Open Vigil and exit all your funds to Ethereum now (Exits → Exit everything).',
  route: { screen: 'exits', target: 'exit-everything' },
};

/** The shell's part (routes) and one action's part (a button that takes the focus when asked). */
function Shell() {
  useNoticeRoutes();
  const [button, setButton] = useState<HTMLButtonElement | null>(null);
  useFocusRequest('challenge:2000000000', button, true);
  const screenId = useNavStore((s) => s.screen);
  return (
    <>
      <p data-testid="screen">{screenId}</p>
      <NoticeToasts />
      <button ref={setButton} type="button">
        Challenge this exit
      </button>
    </>
  );
}

let main: FakeBridge;
let stop: () => void;
beforeEach(() => {
  useNoticeStore.setState({ notices: [], seen: new Set(), pending: null });
  useNavStore.setState({ screen: 'home', focus: null });
  main = installFakeBridge({});
  stop = useNoticeStore.getState().follow();
  return () => stop();
});

const region = () => screen.getByRole('region', { name: 'Notices' });

describe('notices in the window', () => {
  it('shows each notice once, with its deadline and action, newest first', () => {
    render(<Shell />);
    act(() => {
      main.emit('notice', invalidExit);
      main.emit('notice', unsafe);
      main.emit('notice', invalidExit);
    });
    const shown = within(region()).getAllByRole('article');
    expect(shown.map((a) => a.getAttribute('aria-label'))).toEqual([
      'Chain unsafe: exit your funds',
      'Invalid exit: challenge it',
    ]);
    const exit = within(region()).getByRole('article', { name: 'Invalid exit: challenge it' });
    expect(within(exit).getByTestId('notice-deadline').textContent).toMatch(
      /^Deadline: .*\(in 3 days\)\.$/,
    );
    expect(exit.textContent).toContain('challenge the exit');
    expect(
      within(region()).getByRole('article', { name: 'Chain unsafe: exit your funds' }).textContent,
    ).toContain('Act now.');
    expect(region().getAttribute('aria-live')).toBe('assertive');
  });

  it('Open goes to the action and the notice leaves; a dismissed notice does not come back', () => {
    render(<Shell />);
    act(() => main.emit('notice', invalidExit));
    const exit = within(region()).getByRole('article', { name: 'Invalid exit: challenge it' });
    fireEvent.click(within(exit).getByRole('button', { name: 'Open' }));
    expect(screen.getByTestId('screen').textContent).toBe('exits');
    expect(document.activeElement?.textContent).toBe('Challenge this exit');
    expect(useNavStore.getState().focus).toBeNull();
    expect(within(region()).queryAllByRole('article')).toHaveLength(0);
    act(() => main.emit('notice', invalidExit));
    expect(within(region()).queryAllByRole('article')).toHaveLength(0);
  });

  it('a click on the desktop notification opens its action, even one that came while locked', () => {
    // Before the wallet is shown: the route waits.
    act(() => main.emit('notice.open', { screen: 'exits', target: 'exit-everything' }));
    expect(useNoticeStore.getState().pending).toEqual({
      screen: 'exits',
      target: 'exit-everything',
    });
    render(<Shell />);
    expect(screen.getByTestId('screen').textContent).toBe('exits');
    expect(useNavStore.getState().focus).toBe('exit-everything');
    expect(useNoticeStore.getState().pending).toBeNull();
    act(() => main.emit('notice.open', { screen: 'home', target: 'status' }));
    expect(screen.getByTestId('screen').textContent).toBe('home');
  });

  it('ignores notices and routes it does not understand instead of failing', () => {
    render(<Shell />);
    act(() => {
      main.emit('notice.open', { screen: 'settings' } as never);
      main.emit('notice.open', { screen: 'exits', target: 'challenge', utxoPos: '-1' } as never);
      main.emit('notice', { ...unsafe, route: { screen: 'nowhere' } } as never);
      main.emit('notice', null as never);
    });
    expect(screen.getByTestId('screen').textContent).toBe('home');
    expect(within(region()).queryAllByRole('article')).toHaveLength(0);
  });
});
