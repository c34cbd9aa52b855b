// Which screen of the unlocked wallet is open, and which action on it a notice asked to open (the
// component holding that action focuses itself once it can act, then clears it).
import { create } from 'zustand';

export const screens = [
  { id: 'home', label: 'Home' },
  { id: 'send', label: 'Send' },
  { id: 'deposit', label: 'Deposit' },
  { id: 'merge', label: 'Merge' },
  { id: 'exits', label: 'Exits' },
  { id: 'history', label: 'History' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'settings', label: 'Settings' },
] as const;
export type ScreenId = (typeof screens)[number]['id'];

interface NavStore {
  screen: ScreenId;
  /** The action to bring into view: `exit-everything` or `challenge:<utxoPos>`. */
  focus: string | null;
  go(screen: ScreenId): void;
  /** Opens a screen with one of its actions in view. */
  open(screen: ScreenId, focus: string | null): void;
  /** The action took the focus: forget it. */
  focused(): void;
}

export const useNavStore = create<NavStore>((set) => ({
  screen: 'home',
  focus: null,
  go: (screen) => set({ screen, focus: null }),
  open: (screen, focus) => set({ screen, focus }),
  focused: () => set({ focus: null }),
}));
