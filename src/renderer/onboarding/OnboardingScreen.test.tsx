// @vitest-environment happy-dom
// Onboarding as the user drives it: the form's refusals, and the recovery-phrase confirmation that
// refuses a wrong word and saves nothing until every asked word matches.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '../testing/dom';
import { freshSession, type VaultMain } from '../testing/session';
import { useSessionStore } from '../state/session-store';
import { OnboardingScreen } from './OnboardingScreen';

const PASSWORD = 'correct horse battery';
let main: VaultMain;

beforeEach(() => {
  main = freshSession();
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => vi.restoreAllMocks());

function type(label: string | RegExp, value: string): void {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

async function createAndShowPhrase(): Promise<string[]> {
  render(<OnboardingScreen />);
  type('New password for this wallet', PASSWORD);
  type('Repeat the password', PASSWORD);
  fireEvent.click(screen.getByRole('button', { name: 'Create wallet' }));
  const list = await screen.findByRole('list', { name: 'Recovery phrase' }, { timeout: 10_000 });
  return Array.from(list.querySelectorAll('li'), (li) => li.textContent ?? '');
}

describe('onboarding', () => {
  it('refuses a short password and two different passwords, saving nothing', () => {
    render(<OnboardingScreen />);
    type('New password for this wallet', 'short');
    type('Repeat the password', 'short');
    fireEvent.click(screen.getByRole('button', { name: 'Create wallet' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'Choose a password of at least 8 characters.',
    );
    type('New password for this wallet', PASSWORD);
    type('Repeat the password', `${PASSWORD}!`);
    fireEvent.click(screen.getByRole('button', { name: 'Create wallet' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'The two passwords differ: type the same one twice.',
    );
    expect(main.calls).toEqual([]);
  });

  it('asks for something to import before importing', () => {
    render(<OnboardingScreen />);
    fireEvent.click(screen.getByRole('radio', { name: 'Import a recovery phrase' }));
    type('New password for this wallet', PASSWORD);
    type('Repeat the password', PASSWORD);
    fireEvent.click(screen.getByRole('button', { name: 'Import wallet' }));
    expect(screen.getByRole('alert').textContent).toBe('Paste what you are importing first.');
    expect(main.calls).toEqual([]);
  });

  it('shows 12 new words once, refuses a wrong word back, then saves on the right ones', async () => {
    const logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => undefined),
    );
    const words = await createAndShowPhrase();
    expect(words).toHaveLength(12);
    expect(main.calls).toEqual([]); // nothing saved before the confirmation
    fireEvent.click(screen.getByRole('button', { name: 'I wrote them down' }));
    expect(screen.queryByRole('list', { name: 'Recovery phrase' })).toBeNull();

    const asked = screen.getAllByLabelText(/^Word \d+$/) as HTMLInputElement[];
    expect(asked).toHaveLength(3);
    const positions = asked.map((input) => Number(/\d+/.exec(input.labels![0]!.textContent!)![0]));
    // The first answer is wrong (a word from elsewhere in the phrase), the others right.
    const wrongWord = words.find((w) => w !== words[positions[0]! - 1]) ?? 'zoo';
    positions.forEach((p, i) =>
      fireEvent.change(asked[i]!, { target: { value: i === 0 ? wrongWord : words[p - 1] } }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    expect(screen.getByRole('alert').textContent).toBe(
      `Word ${positions[0]} do not match your phrase. Check what you wrote down.`,
    );
    expect(asked[0]!.getAttribute('aria-invalid')).toBe('true');
    expect(asked[1]!.getAttribute('aria-invalid')).toBe('false');
    expect(main.calls).toEqual([]);
    expect(useSessionStore.getState().phase).toBe('new');

    // Case and spaces do not matter; the right words save the sealed vault and open the wallet.
    fireEvent.change(asked[0]!, {
      target: { value: ` ${words[positions[0]! - 1]!.toUpperCase()} ` },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    await waitFor(() => expect(useSessionStore.getState().phase).toBe('unlocked'), {
      timeout: 10_000,
    });
    expect(main.calls.map((c) => c.method)).toEqual(['vault.save']);
    expect(main.file.blob).not.toContain(words.join(' '));
    expect(main.file.blob).not.toContain(PASSWORD);
    // Key safety: nothing went to the console or to web storage on the way.
    for (const spy of logged) expect(spy).not.toHaveBeenCalled();
    expect([localStorage.length, sessionStorage.length]).toEqual([0, 0]);
  });
});
