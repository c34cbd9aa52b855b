// @vitest-environment happy-dom
// Deposit as the user sees it: the amount checked against the Ethereum balance, then each step with
// its state and the confirmations until the deposit is spendable, and a failure that says what to do.
import { beforeEach, describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen, within } from '../testing/dom';
import { freshSession, type VaultMain } from '../testing/session';
import { snapshotFixture } from '../testing/fixtures';
import { useAccountStore } from '../state/account-store';
import { useChainStore } from '../state/chain-store';
import { useDepositStore } from '../state/deposit-store';
import { useSessionStore } from '../state/session-store';
import { DepositScreen } from './DepositScreen';

const PHRASE = 'test test test test test test test test test test test junk';
const OWNER = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const ETHER = 10n ** 18n;

let main: VaultMain;
let sendFails = false;

beforeEach(async () => {
  sendFails = false;
  let polls = 0;
  const sent: string[] = [];
  main = freshSession({
    'eth.account': ({ address }) => ({
      address,
      eth: (3n * ETHER).toString(),
      tokens: [],
      nonce: sent.length,
    }),
    'eth.feeData': () => ({
      chainId: 31337,
      maxFeePerGas: '2000000000',
      maxPriorityFeePerGas: '1',
    }),
    'eth.estimateGas': () => ({ gas: '60000' }),
    'eth.send': ({ raw }) => {
      if (sendFails)
        throw Object.assign(new Error('Ethereum refused the transaction: nonce too low.'), {
          code: 'eth_rejected',
        });
      sent.push(raw);
      return { hash: `0x${'ab'.repeat(32)}` };
    },
    'deposit.progress': ({ ethTxHash }) => {
      polls++;
      return {
        ethTxHash,
        stage: polls < 3 ? 'mined' : 'spendable',
        confirmations: polls,
        needed: 3,
        blknum: '1001',
        error: null,
      };
    },
    'chain.account': ({ address }) => ({ address, balances: [], utxos: [] }),
    'chain.history': () => [],
  });
  await useSessionStore
    .getState()
    .startOnboarding({ kind: 'mnemonic', phrase: PHRASE }, 'correct horse battery');
  useChainStore.setState({ snapshot: snapshotFixture() });
  useAccountStore.setState({
    address: OWNER,
    ethereum: { address: OWNER, eth: (3n * ETHER).toString(), tokens: [], nonce: 0 },
  });
  useDepositStore.setState({ run: null, pollMs: 1, maxPolls: 50 });
  main.calls.length = 0;
});

function deposit(amount: string): void {
  fireEvent.change(screen.getByLabelText('Amount to deposit'), { target: { value: amount } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign and deposit' }));
}

const steps = () =>
  within(screen.getByRole('list', { name: 'Deposit steps' }))
    .getAllByRole('listitem')
    .map((li) => li.textContent);

describe('deposit screen', () => {
  it('refuses more than the Ethereum balance and sends nothing', async () => {
    render(<DepositScreen />);
    expect(screen.getByRole('option', { name: 'ETH (3 ETH on Ethereum)' })).toBeTruthy();
    deposit('3.5');
    expect((await screen.findByRole('alert')).textContent).toBe(
      'You have 3 ETH on Ethereum; deposit at most that (ETH also pays the gas).',
    );
    expect(main.calls).toEqual([]);
    expect(screen.queryByRole('list', { name: 'Deposit steps' })).toBeNull();
  });

  it('shows each step in words with its hash, and the confirmations while it waits', () => {
    useDepositStore.setState({
      run: {
        steps: [
          { description: 'Approve the vault to take 5 VTT.', state: 'done', hash: '0x01' },
          { description: 'Deposit 5 VTT.', state: 'sending', hash: '0x02' },
        ],
        progress: {
          ethTxHash: '0x02',
          stage: 'mined',
          confirmations: 1,
          needed: 3,
          blknum: null,
          error: null,
        },
        activity: 'Waiting for confirmations…',
        error: null,
        finished: false,
      },
    });
    render(<DepositScreen />);
    expect(steps()).toEqual([
      'Approve the vault to take 5 VTT. — done 0x01',
      'Deposit 5 VTT. — in progress 0x02',
    ]);
    expect(screen.getByText(/^Deposit mined: 1 of 3 confirmations\./)).toBeTruthy();
    const bar = screen.getByRole('progressbar', { name: 'Deposit confirmations' });
    expect([bar.getAttribute('value'), bar.getAttribute('max')]).toEqual(['1', '3']);
    // Running: the form is locked and there is nothing to clear yet.
    expect(screen.getByRole('button', { name: 'Sign and deposit' })).toHaveProperty(
      'disabled',
      true,
    );
    expect(screen.queryByRole('button', { name: 'Clear' })).toBeNull();
  });

  it('runs an ETH deposit to spendable: signed here, sent by main, then complete', async () => {
    render(<DepositScreen />);
    await act(async () => deposit('1.25'));
    await screen.findByText('Deposit complete: it is spendable on the Plasma chain.', undefined, {
      timeout: 10_000,
    });
    expect(steps()).toHaveLength(1);
    expect(steps()[0]).toMatch(/ — done 0x(ab){32}$/);
    expect(
      screen.getByText(/^Spendable on the Plasma chain \(deposit block 1001\)\./),
    ).toBeTruthy();
    const send = main.calls.find((c) => c.method === 'eth.send');
    expect((send?.params as { raw: string }).raw).toMatch(/^0x02[0-9a-f]+$/); // EIP-1559, signed here
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(screen.queryByRole('list', { name: 'Deposit steps' })).toBeNull();
  });

  it('says the deposit stopped, why, and that nothing was lost when Ethereum refuses it', async () => {
    sendFails = true;
    render(<DepositScreen />);
    await act(async () => deposit('1'));
    const alert = await screen.findByText(/^The deposit stopped:/, undefined, { timeout: 10_000 });
    expect(alert.textContent).toBe(
      'The deposit stopped: Ethereum refused the transaction: nonce too low. Nothing was lost: what is done stays done; start the deposit again to finish it.',
    );
    expect(steps()[0]).toMatch(/ — failed$/);
    expect(screen.getByRole('button', { name: 'Sign and deposit' })).toHaveProperty(
      'disabled',
      false,
    );
  });
});
