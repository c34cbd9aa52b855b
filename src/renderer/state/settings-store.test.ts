import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeBridge } from '../testing/fake-bridge';
import { profileFromFields, useSettingsStore, type ProfileFields } from './settings-store';

beforeEach(() => {
  useSettingsStore.setState({ settings: null, networks: [], error: null, notice: null });
});

const devnet = { id: 'devnet', name: 'Local devnet', chainId: 31337, selected: true };

describe('settings store', () => {
  it('loads and saves settings through main', async () => {
    installFakeBridge({
      'settings.get': () => ({ idleLockMinutes: 5, notifications: true }),
      'settings.set': (change) => ({ idleLockMinutes: 5, notifications: true, ...change }),
      'network.list': () => [devnet],
    });
    await useSettingsStore.getState().load();
    expect(useSettingsStore.getState().networks).toEqual([devnet]);
    await useSettingsStore.getState().update({ idleLockMinutes: 0 });
    expect(useSettingsStore.getState().settings).toEqual({
      idleLockMinutes: 0,
      notifications: true,
    });
    expect(useSettingsStore.getState().notice).toBe('Saved.');
  });

  it('a refused profile says why and adds nothing', async () => {
    installFakeBridge({
      'network.add': () => {
        throw Object.assign(new Error('rpcUrl is not a URL.'), { code: 'invalid_profile' });
      },
    });
    expect(await useSettingsStore.getState().addNetwork('{}')).toBe(false);
    expect(useSettingsStore.getState().error).toBe(
      'The profile was not added: rpcUrl is not a URL.',
    );
    expect(useSettingsStore.getState().networks).toEqual([]);
  });

  it('selecting a network marks only that one', async () => {
    const other = { id: 'p1', name: 'Staging', chainId: 5, selected: false };
    installFakeBridge({ 'network.select': ({ id }) => ({ ...other, id, selected: true }) });
    useSettingsStore.setState({ networks: [devnet, other] });
    await useSettingsStore.getState().selectNetwork('p1');
    expect(useSettingsStore.getState().networks.map((n) => n.selected)).toEqual([false, true]);
  });
});

describe('profileFromFields', () => {
  it('turns typed fields into a profile with numbers where numbers belong', () => {
    const fields = {
      name: ' Staging ',
      chainId: '5',
      rpcUrl: 'http://127.0.0.1:8545',
      childChainUrl: 'http://127.0.0.1:9656',
      plasmaFramework: '0x01',
      ethVault: '0x02',
      erc20Vault: '0x03',
      paymentExitGame: '0x04',
      authority: '0x05',
      frameworkDeployTx: '0x06',
      frameworkDeployBlock: '12',
      minExitPeriod: '60',
      childBlockInterval: '1000',
      depositFinality: '2',
      exitFinality: 'ten',
    } satisfies ProfileFields;
    const profile = JSON.parse(profileFromFields(fields));
    expect(profile).toMatchObject({
      version: 1,
      name: 'Staging',
      chainId: 5,
      contracts: { plasmaFramework: '0x01', paymentExitGame: '0x04' },
      frameworkDeployBlock: 12,
      finality: { deposits: 2, exits: 'ten' },
      tokens: [],
    });
  });
});
