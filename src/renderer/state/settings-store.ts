// The app's settings and network profiles, as main keeps them.
import { create } from 'zustand';
import type { NetworkChoice, WalletSettings } from '../../shared/wallet';
import type { NetworkProfile } from '../../shared/network-profile';
import { request } from '../ipc/client';
import { errorText } from './errors';

interface SettingsStore {
  settings: WalletSettings | null;
  networks: NetworkChoice[];
  error: string | null;
  /** A short confirmation of the last change ("Saved."). */
  notice: string | null;
  load(): Promise<void>;
  update(change: Partial<WalletSettings>): Promise<void>;
  addNetwork(profileJson: string): Promise<boolean>;
  selectNetwork(id: string): Promise<void>;
}

export const useSettingsStore = create<SettingsStore>((set, get) => ({
  settings: null,
  networks: [],
  error: null,
  notice: null,
  async load() {
    try {
      const [settings, networks] = await Promise.all([
        request('settings.get'),
        request('network.list'),
      ]);
      set({ settings, networks, error: null });
    } catch (error) {
      set({ error: errorText(error) });
    }
  },
  async update(change) {
    try {
      set({ settings: await request('settings.set', change), error: null, notice: 'Saved.' });
    } catch (error) {
      set({ error: errorText(error), notice: null });
    }
  },
  async addNetwork(profileJson) {
    try {
      const added = await request('network.add', { profile: profileJson });
      set({
        networks: [...get().networks.filter((n) => n.id !== added.id), added],
        error: null,
        notice: `Added the network "${added.name}".`,
      });
      return true;
    } catch (error) {
      set({ error: `The profile was not added: ${errorText(error)}`, notice: null });
      return false;
    }
  },
  async selectNetwork(id) {
    try {
      const chosen = await request('network.select', { id });
      set({
        networks: get().networks.map((n) => ({ ...n, selected: n.id === chosen.id })),
        error: null,
        notice: `Now following ${chosen.name}; the watcher starts over on it.`,
      });
    } catch (error) {
      set({ error: errorText(error), notice: null });
    }
  },
}));

/** The profile fields a person types in the settings form (all text, as typed). */
export type ProfileFields = Record<
  | 'name'
  | 'chainId'
  | 'rpcUrl'
  | 'childChainUrl'
  | 'plasmaFramework'
  | 'ethVault'
  | 'erc20Vault'
  | 'paymentExitGame'
  | 'authority'
  | 'frameworkDeployTx'
  | 'frameworkDeployBlock'
  | 'minExitPeriod'
  | 'childBlockInterval'
  | 'depositFinality'
  | 'exitFinality',
  string
>;

/** The typed fields as profile JSON; main validates it fully (numbers are only parsed here). */
export function profileFromFields(f: ProfileFields): string {
  const int = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim());
  const profile: Omit<
    NetworkProfile,
    'chainId' | 'frameworkDeployBlock' | 'minExitPeriod' | 'childBlockInterval' | 'finality'
  > &
    Record<string, unknown> = {
    version: 1,
    name: f.name.trim(),
    chainId: int(f.chainId),
    rpcUrl: f.rpcUrl.trim(),
    childChainUrl: f.childChainUrl.trim(),
    contracts: {
      plasmaFramework: f.plasmaFramework.trim(),
      ethVault: f.ethVault.trim(),
      erc20Vault: f.erc20Vault.trim(),
      paymentExitGame: f.paymentExitGame.trim(),
    },
    frameworkDeployTx: f.frameworkDeployTx.trim(),
    frameworkDeployBlock: int(f.frameworkDeployBlock),
    authority: f.authority.trim(),
    minExitPeriod: int(f.minExitPeriod),
    childBlockInterval: int(f.childBlockInterval),
    finality: { deposits: int(f.depositFinality), exits: int(f.exitFinality) },
    tokens: [],
  };
  return JSON.stringify(profile);
}
