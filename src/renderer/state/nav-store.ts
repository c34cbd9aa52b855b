// Which screen of the unlocked wallet is open.
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

export const useNavStore = create<{ screen: ScreenId; go(screen: ScreenId): void }>((set) => ({
  screen: 'home',
  go: (screen) => set({ screen }),
}));
