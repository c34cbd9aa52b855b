// The wallet session: whether a vault exists, is locked or unlocked, the accounts it holds and the
// one selected. The unlocked vault (keys) lives only here, in the renderer; main gets the sealed
// blob after every change (vault.save) and nothing else.
import { create } from 'zustand';
import {
  createVault,
  unlock as unlockVault,
  type AccountView,
  type UnlockedVault,
  type VaultOptions,
} from '../wallet/vault';
import { request } from '../ipc/client';
import { errorText } from './errors';

export type SessionPhase = 'loading' | 'new' | 'locked' | 'unlocked' | 'failed';

/** Where the first account of a new wallet comes from. */
export type WalletSource =
  | { kind: 'create'; words: 12 | 24 }
  | { kind: 'mnemonic'; phrase: string }
  | { kind: 'privateKey'; privateKey: string }
  | { kind: 'keystore'; json: string; password: string };

interface SessionStore {
  phase: SessionPhase;
  /** The last failure, in words (wrong password, a refused import, a save that failed). */
  error: string | null;
  /** A slow step in progress (key derivation, saving), in words; null when idle. */
  busy: string | null;
  blob: string | null;
  vault: UnlockedVault | null;
  accounts: AccountView[];
  selected: string | null;
  options: VaultOptions;
  load(): Promise<void>;
  unlock(password: string): Promise<boolean>;
  lock(): void;
  /**
   * Onboarding: builds a vault sealed with `password` holding the first account. For a created
   * phrase, returns it (shown once) and keeps the vault unsaved until `finishOnboarding`.
   */
  startOnboarding(
    source: WalletSource,
    password: string,
  ): Promise<{ phrase: string | null } | null>;
  finishOnboarding(): Promise<boolean>;
  /** Runs a change on the unlocked vault, then seals and saves it; false (with `error`) if refused. */
  change(what: string, edit: (vault: UnlockedVault) => unknown): Promise<boolean>;
  select(address: string): void;
  clearError(): void;
}

const FIRST_ACCOUNT = 'Account 1';

/** The session's data before anything is loaded (tests reset the store to it, with a fast KDF). */
export const SESSION_START = {
  phase: 'loading',
  error: null,
  busy: null,
  blob: null,
  vault: null,
  accounts: [],
  selected: null,
  options: {},
} satisfies Partial<SessionStore>;

export const useSessionStore = create<SessionStore>((set, get) => {
  async function save(vault: UnlockedVault): Promise<void> {
    const blob = await vault.seal();
    await request('vault.save', { blob });
    set({ blob });
  }
  function opened(vault: UnlockedVault): void {
    const accounts = vault.accounts();
    const selected = accounts.some((a) => a.address === get().selected)
      ? get().selected
      : (accounts[0]?.address ?? null);
    set({ vault, accounts, selected, phase: 'unlocked', error: null, busy: null });
  }

  return {
    ...SESSION_START,
    async load() {
      set({ phase: 'loading', error: null });
      try {
        const { blob } = await request('vault.load');
        set({ blob, phase: blob ? 'locked' : 'new' });
      } catch (error) {
        set({ phase: 'failed', error: errorText(error) });
      }
    },
    async unlock(password) {
      const { blob } = get();
      if (!blob) return false;
      set({ busy: 'Checking the password (this takes a few seconds)…', error: null });
      try {
        opened(await unlockVault(blob, password));
        return true;
      } catch (error) {
        set({ busy: null, error: errorText(error) });
        return false;
      }
    },
    lock() {
      get().vault?.lock();
      set({
        vault: null,
        accounts: [],
        phase: get().blob ? 'locked' : 'new',
        busy: null,
        error: null,
      });
    },
    async startOnboarding(source, password) {
      set({ busy: 'Encrypting your wallet (this takes a few seconds)…', error: null });
      let vault: UnlockedVault | null = null;
      try {
        vault = await createVault(password, get().options);
        let phrase: string | null = null;
        if (source.kind === 'create')
          phrase = vault.addMnemonic({ generate: source.words }, FIRST_ACCOUNT).phrase;
        else if (source.kind === 'mnemonic')
          vault.addMnemonic({ phrase: source.phrase }, FIRST_ACCOUNT);
        else if (source.kind === 'privateKey')
          vault.importPrivateKey(source.privateKey, FIRST_ACCOUNT);
        else await vault.importKeystore(source.json, source.password, FIRST_ACCOUNT);
        set({ vault, busy: null });
        if (phrase) return { phrase };
        return (await get().finishOnboarding()) ? { phrase: null } : null;
      } catch (error) {
        vault?.lock();
        set({ vault: null, busy: null, error: errorText(error) });
        return null;
      }
    },
    async finishOnboarding() {
      const { vault } = get();
      if (!vault) return false;
      set({ busy: 'Saving your encrypted wallet…' });
      try {
        await save(vault);
        opened(vault);
        return true;
      } catch (error) {
        set({ busy: null, error: `Your wallet was not saved: ${errorText(error)} Try again.` });
        return false;
      }
    },
    async change(what, edit) {
      const { vault } = get();
      if (!vault) {
        set({ error: 'The wallet is locked; unlock it first.' });
        return false;
      }
      set({ busy: what, error: null });
      try {
        await edit(vault);
        await save(vault);
        opened(vault);
        return true;
      } catch (error) {
        // A refused change leaves the vault as it was; one that could not be saved is still held
        // in memory and saved with the next change.
        set({ busy: null, accounts: vault.accounts(), error: errorText(error) });
        return false;
      }
    },
    select(address) {
      set({ selected: address.toLowerCase() });
    },
    clearError() {
      set({ error: null });
    },
  };
});
