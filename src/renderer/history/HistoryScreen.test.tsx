// @vitest-environment happy-dom
// History: rows in words and formatted amounts, and the search box asking main for matches.
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '../testing/dom';
import { installFakeBridge, type FakeBridge } from '../testing/fake-bridge';
import { useAccountStore } from '../state/account-store';
import type { HistoryItem } from '../../shared/wallet';
import { ETH_TOKEN } from '../../plasma/types';
import { HistoryScreen } from './HistoryScreen';

const ME = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const BOB = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';

function item(overrides: Partial<HistoryItem>): HistoryItem {
  return {
    kind: 'received',
    txHash: `0x${'aa'.repeat(32)}`,
    blknum: '1000',
    txindex: 0,
    counterparties: [BOB],
    amounts: [{ token: ETH_TOKEN, amount: '1500000000000000000' }],
    metadata: `0x${'00'.repeat(32)}`,
    metadataText: null,
    timestamp: 1_700_000_000,
    ...overrides,
  };
}

const ALL = [
  item({}),
  item({
    kind: 'sent',
    txHash: `0x${'bb'.repeat(32)}`,
    blknum: '2000',
    amounts: [{ token: ETH_TOKEN, amount: '-250000000000000000' }],
    metadataText: 'rent for May',
  }),
];

let bridge: FakeBridge;

beforeEach(() => {
  bridge = installFakeBridge({
    'chain.history': ({ search }) =>
      search
        ? ALL.filter((h) => h.metadataText?.includes(search) || h.txHash.includes(search))
        : ALL,
  });
  useAccountStore.setState({ address: ME, history: ALL, search: '', error: null });
});

describe('history screen', () => {
  it('lists each transaction in words with signed, formatted amounts', () => {
    render(<HistoryScreen />);
    const rows = within(screen.getByRole('table', { name: 'Transactions' })).getAllByRole('row');
    expect(rows).toHaveLength(3); // header + 2
    const received = within(rows[1]!).getAllByRole('cell');
    expect(received[0]!.textContent).toBe('Received');
    expect(received[1]!.textContent).toMatch(/^1\.5 ETH$/);
    expect(received[2]!.textContent).toBe(BOB);
    expect(received[3]!.textContent).toBe('1000 · 0');
    const sent = within(rows[2]!).getAllByRole('cell');
    expect(sent[0]!.textContent).toBe('Sent');
    expect(sent[1]!.textContent).toMatch(/^-0\.25 ETH$/);
    expect(sent[4]!.textContent).toBe('rent for May');
  });

  it('searches through main by note text, trimmed, and says when nothing matches', async () => {
    render(<HistoryScreen />);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), {
      target: { value: '  rent ' },
    });
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(2));
    expect(screen.getByRole('cell', { name: 'rent for May' })).toBeTruthy();
    expect(bridge.calls.at(-1)).toEqual({
      method: 'chain.history',
      params: { address: ME, search: 'rent', limit: 200 },
    });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), {
      target: { value: 'no such thing' },
    });
    await screen.findByText('Nothing matches that search.');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('says what to do when main cannot read the history, and keeps what it showed', async () => {
    installFakeBridge({
      'chain.history': () => {
        throw Object.assign(new Error('The watcher is still starting.'), { code: 'not_ready' });
      },
    });
    render(<HistoryScreen />);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), {
      target: { value: 'rent' },
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      'The history could not be read: The watcher is still starting. Check the status bar, then search again.',
    );
    expect(screen.getAllByRole('row')).toHaveLength(3);
  });
});
