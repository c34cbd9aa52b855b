// @vitest-environment happy-dom
// The Send form as the user meets it: field refusals (checksum, amount above the balance), a review
// that lists exactly the inputs, outputs, change and fee, signing here and submitting through main,
// and no Sign button that works while the chain is not valid.
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '../testing/dom';
import { freshSession, type VaultMain } from '../testing/session';
import { eventFixture, snapshotFixture } from '../testing/fixtures';
import { useAccountStore } from '../state/account-store';
import { useChainStore } from '../state/chain-store';
import { useSessionStore } from '../state/session-store';
import { ETH_TOKEN } from '../../plasma/types';
import type { UtxoView } from '../../shared/wallet';
import { SendScreen } from './SendScreen';

const PHRASE = 'test test test test test test test test test test test junk';
const ALICE = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const BOB = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const ETHER = 10n ** 18n;

function utxo(blknum: number, amount: bigint): UtxoView {
  return {
    utxoPos: String(BigInt(blknum) * 1_000_000_000n),
    blknum: String(blknum),
    txindex: 0,
    oindex: 0,
    owner: ALICE,
    token: ETH_TOKEN,
    amount: amount.toString(),
    txHash: `0x${'11'.repeat(32)}`,
  };
}

let main: VaultMain;

beforeEach(async () => {
  main = freshSession({
    'chain.submit': () => ({ blknum: '2000', txindex: 0, txHash: `0x${'cd'.repeat(32)}` }),
  });
  await useSessionStore
    .getState()
    .startOnboarding({ kind: 'mnemonic', phrase: PHRASE }, 'correct horse battery');
  expect(useSessionStore.getState().selected).toBe(ALICE);
  useChainStore.setState({
    snapshot: snapshotFixture(),
    fees: [{ token: ETH_TOKEN, amount: '1000', symbol: 'ETH', decimals: 18 }],
    feesError: null,
  });
  useAccountStore.setState({
    address: ALICE,
    child: {
      address: ALICE,
      balances: [{ token: ETH_TOKEN, amount: (2n * ETHER).toString() }],
      utxos: [utxo(1000, 2n * ETHER)],
    },
    pending: [],
  });
  main.calls.length = 0;
});

function fill(to: string, amount: string): void {
  fireEvent.change(screen.getByLabelText(/^Recipient address/), { target: { value: to } });
  fireEvent.change(screen.getByLabelText(/^Amount/), { target: { value: amount } });
  fireEvent.click(screen.getByRole('button', { name: 'Review' }));
}

describe('send screen', () => {
  it('offers the held token with its balance and the operator fee', () => {
    render(<SendScreen />);
    expect(screen.getByRole('option', { name: 'ETH (2 ETH available)' })).toBeTruthy();
    expect(screen.getByRole('option', { name: /^0\.000000000000001 ETH$/ })).toBeTruthy();
  });

  it('refuses an address with a broken checksum, next to the recipient field', () => {
    render(<SendScreen />);
    const badChecksum = BOB.replace('C51812dc3A', 'c51812dc3A');
    fill(badChecksum, '1');
    const recipient = screen.getByLabelText(/^Recipient address/);
    expect(recipient.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toMatch(/checksum/i);
    expect(screen.queryByRole('list', { name: 'What this transaction moves' })).toBeNull();
    expect(screen.queryByRole('term')).toBeNull();
  });

  it('refuses an amount above the balance, saying how much is missing', () => {
    render(<SendScreen />);
    fill(BOB, '2');
    expect(screen.getByLabelText(/^Amount/).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe(
      'Not enough funds on the Plasma chain: 0.000000000000001 ETH more is needed to cover the amount and the fee. Send less or deposit more.',
    );
    expect(screen.queryByRole('button', { name: 'Sign and send' })).toBeNull();
  });

  it('reviews exactly what moves, then signs here and submits through main', async () => {
    render(<SendScreen />);
    fill(BOB, '1.5');
    screen.getByRole('heading', { name: 'Review the payment' });
    const review = screen.getByLabelText('What this transaction moves');
    const groups: Record<string, string[]> = {};
    let current = '';
    for (const node of Array.from(review.children)) {
      if (node.tagName === 'DT') groups[(current = node.textContent ?? '')] = [];
      else groups[current]!.push(node.textContent ?? '');
    }
    expect(groups).toEqual({
      'Spends (inputs)': ['2 ETH from output 1000000000000'],
      'Creates (outputs)': [
        `0.499999999999999 ETH to ${ALICE} (you)`,
        `1.5 ETH to ${BOB.toLowerCase()}`,
      ],
      'Goes to others': ['1.5 ETH'],
      'Comes back to you (change)': ['0.499999999999999 ETH'],
      'Fee to the operator': ['0.000000000000001 ETH'],
    });
    expect(main.calls).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Sign and send' }));
    const accepted = await screen.findByText(
      /^Payment accepted by the operator in block 2000\./,
      {},
      { timeout: 10_000 },
    );
    expect(accepted.getAttribute('role')).toBe('status');
    expect(main.calls.map((c) => c.method)).toEqual(['chain.submit']);
    const { transaction } = main.calls[0]!.params as { transaction: string };
    expect(transaction).toMatch(/^0x[0-9a-f]+$/);
    expect(transaction).toContain(BOB.slice(2).toLowerCase());
    expect(useAccountStore.getState().pending).toMatchObject([
      { blknum: '2000', spends: ['1000000000000'], summary: `Sent 1.5 ETH to ${BOB}` },
    ]);
    expect((screen.getByLabelText(/^Recipient address/) as HTMLInputElement).value).toBe('');
  });

  it('while the chain is invalid: says why and the Sign button stays disabled', () => {
    useChainStore.setState({
      snapshot: snapshotFixture({
        status: { kind: 'invalid', reason: 'block 4000 is invalid' },
        events: [eventFixture()],
        canSubmit: false,
        submitRefusal: 'The chain is invalid: exit your outputs, do not pay on it.',
      }),
    });
    render(<SendScreen />);
    expect(screen.getByTestId('send-refused').textContent).toBe(
      'The chain is invalid: exit your outputs, do not pay on it.',
    );
    fill(BOB, '1');
    expect(screen.getByRole('button', { name: 'Sign and send' })).toHaveProperty('disabled', true);
    expect(
      within(screen.getByLabelText('What this transaction moves')).getAllByRole('term'),
    ).toHaveLength(5);
  });
});
