// @vitest-environment happy-dom
// The status bar's and banner's wording for each chain status, as a user (or a screen reader) sees it.
import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen } from '../testing/dom';
import { eventFixture, snapshotFixture } from '../testing/fixtures';
import { useChainStore } from '../state/chain-store';
import { ChainBanner } from './ChainBanner';
import { StatusBar } from './StatusBar';

function show(snapshot: ReturnType<typeof snapshotFixture> | null, error: string | null = null) {
  useChainStore.setState({ snapshot, error });
  render(
    <>
      <ChainBanner />
      <StatusBar />
    </>,
  );
}

beforeEach(() => useChainStore.setState({ snapshot: null, error: null }));

describe('status bar and chain banner', () => {
  it('says it is connecting before the first snapshot, with no banner', () => {
    show(null);
    expect(screen.getByRole('status', { name: 'Chain status' })).toHaveProperty(
      'textContent',
      'Connecting to the watcher…',
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('valid: every block checked, no progress bar, no banner', () => {
    show(snapshotFixture());
    expect(screen.getByTestId('chain-status').textContent).toBe(
      'Chain valid: every block checked (3 of 3). Local devnet · Ethereum block 120',
    );
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('valid on a fresh chain: no child blocks yet', () => {
    show(snapshotFixture({ lastValidatedBlock: '0', lastMinedBlock: '0' }));
    expect(screen.getByTestId('chain-status').textContent).toMatch(
      /^Chain valid: no child blocks yet\./,
    );
  });

  it('syncing: blocks validated of mined, with a progress bar', () => {
    show(
      snapshotFixture({
        status: { kind: 'syncing', reason: 'Catching up with the operator.' },
        lastValidatedBlock: '2000',
        lastMinedBlock: '5000',
      }),
    );
    expect(screen.getByTestId('chain-status').textContent).toBe(
      'Checking the chain: 2 of 5 blocks validated. Catching up with the operator.',
    );
    const bar = screen.getByRole('progressbar', { name: 'Blocks validated' });
    expect(bar.getAttribute('value')).toBe('2');
    expect(bar.getAttribute('max')).toBe('5');
  });

  it('invalid: the status bar says INVALID and the banner names the event and the action', () => {
    const event = eventFixture();
    show(
      snapshotFixture({
        status: { kind: 'invalid', reason: 'block 4000 is invalid' },
        events: [event],
        canSubmit: false,
      }),
    );
    expect(screen.getByTestId('chain-status').textContent).toBe(
      'Chain INVALID: block 4000 is invalid',
    );
    const alert = screen.getByRole('alert', { name: 'The chain is not safe' });
    expect(alert.className).toContain('banner-danger');
    expect(screen.getByTestId('banner-message').textContent).toBe(event.description);
    expect(alert.textContent).toContain('Event: invalid_block');
  });

  it('invalid with no event: the banner carries the watcher reason', () => {
    show(snapshotFixture({ status: { kind: 'invalid', reason: 'the operator forged a root' } }));
    expect(screen.getByRole('alert', { name: 'The chain is not safe' }).textContent).toContain(
      'the operator forged a root',
    );
  });

  it('unknown: says so in words, with the reason or a default', () => {
    show(snapshotFixture({ status: { kind: 'unknown', reason: '' } }));
    expect(screen.getByTestId('chain-status').textContent).toBe(
      'Chain status unknown: the watcher has not reported yet.',
    );
  });

  it('a non-invalidating event shows a warning banner on a valid chain', () => {
    show(
      snapshotFixture({
        events: [
          eventFixture({
            kind: 'invalid_exit',
            invalidating: false,
            description: 'An exit of your output is invalid: challenge it within 3 days.',
          }),
        ],
      }),
    );
    const alert = screen.getByRole('alert', { name: 'An event needs your action' });
    expect(alert.className).toContain('banner-warning');
    expect(alert.textContent).toContain('challenge it within 3 days');
  });

  it('shows the watcher error next to the last status', () => {
    show(snapshotFixture(), 'The watcher is starting.');
    expect(screen.getByRole('status', { name: 'Chain status' }).textContent).toContain(
      'The watcher did not answer: The watcher is starting.',
    );
  });
});
