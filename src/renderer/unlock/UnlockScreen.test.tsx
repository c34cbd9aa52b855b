// @vitest-environment happy-dom
// Unlocking: a wrong password says so and changes nothing; the right one opens the wallet.
import { beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '../testing/dom';
import { freshSession, type VaultMain } from '../testing/session';
import { useSessionStore } from '../state/session-store';
import { UnlockScreen } from './UnlockScreen';

const PHRASE = 'test test test test test test test test test test test junk';
const PASSWORD = 'correct horse battery';
let main: VaultMain;

beforeEach(async () => {
  main = freshSession();
  await useSessionStore.getState().startOnboarding({ kind: 'mnemonic', phrase: PHRASE }, PASSWORD);
  useSessionStore.getState().lock();
  expect(useSessionStore.getState().phase).toBe('locked');
  main.calls.length = 0;
});

function enter(password: string): HTMLInputElement {
  const input = screen.getByLabelText('Password') as HTMLInputElement;
  fireEvent.change(input, { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
  return input;
}

describe('unlock screen', () => {
  it('keeps Unlock disabled until a password is typed', () => {
    render(<UnlockScreen />);
    expect(screen.getByRole('button', { name: 'Unlock' })).toHaveProperty('disabled', true);
  });

  it('says a wrong password is wrong, stays locked, and keeps the vault file as it was', async () => {
    const before = main.file.blob;
    render(<UnlockScreen />);
    const input = enter('wrong horse battery');
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert.textContent).toMatch(/password/i);
    expect(alert.textContent).not.toContain('wrong horse battery');
    expect(useSessionStore.getState()).toMatchObject({ phase: 'locked', vault: null });
    expect(main.file.blob).toBe(before);
    expect(main.calls).toEqual([]);
    expect(input.value).toBe('wrong horse battery'); // kept, so a typo can be fixed in place
  });

  it('opens the wallet with the right password and clears the field', async () => {
    render(<UnlockScreen />);
    const input = enter(PASSWORD);
    await waitFor(() => expect(useSessionStore.getState().phase).toBe('unlocked'), {
      timeout: 10_000,
    });
    expect(useSessionStore.getState().selected).toBe('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266');
    await waitFor(() => expect(input.value).toBe(''));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
