import { encryptKeystoreJsonSync } from 'ethers';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeBridge } from '../testing/fake-bridge';
import { SESSION_START, useSessionStore } from './session-store';

// Hardhat's well-known test phrase: its account 0 is below.
const PHRASE = 'test test test test test test test test test test test junk';
const ACCOUNT0 = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const PASSWORD = 'correct horse battery';

function mainWithVaultFile() {
  const file: { blob: string | null } = { blob: null };
  const bridge = installFakeBridge({
    'vault.load': () => ({ blob: file.blob }),
    'vault.save': ({ blob }) => {
      file.blob = blob;
      return { savedAt: 1 };
    },
  });
  return { file, bridge };
}

beforeEach(() => {
  useSessionStore.setState({ ...SESSION_START, options: { scryptN: 1 << 4 } });
});

describe('session store', () => {
  it('imports a phrase, saves only ciphertext, then locks and unlocks with the password', async () => {
    const { file, bridge } = mainWithVaultFile();
    await useSessionStore.getState().load();
    expect(useSessionStore.getState().phase).toBe('new');
    const done = await useSessionStore
      .getState()
      .startOnboarding({ kind: 'mnemonic', phrase: PHRASE }, PASSWORD);
    expect(done).toEqual({ phrase: null });
    expect(useSessionStore.getState()).toMatchObject({ phase: 'unlocked', selected: ACCOUNT0 });
    expect(file.blob).not.toBeNull();
    const wire = JSON.stringify(bridge.calls);
    expect(wire).not.toContain('junk');
    expect(wire).not.toContain(PASSWORD);

    useSessionStore.getState().lock();
    expect(useSessionStore.getState()).toMatchObject({
      phase: 'locked',
      vault: null,
      accounts: [],
    });
    expect(await useSessionStore.getState().unlock('wrong password')).toBe(false);
    expect(useSessionStore.getState().error).toMatch(/Wrong password/);
    expect(useSessionStore.getState().phase).toBe('locked');
    expect(await useSessionStore.getState().unlock(PASSWORD)).toBe(true);
    expect(useSessionStore.getState().accounts.map((a) => a.address)).toEqual([ACCOUNT0]);
  });

  it('keeps a created wallet unsaved until the phrase is confirmed', async () => {
    const { file } = mainWithVaultFile();
    await useSessionStore.getState().load();
    const started = await useSessionStore
      .getState()
      .startOnboarding({ kind: 'create', words: 12 }, PASSWORD);
    expect(started?.phrase?.split(' ')).toHaveLength(12);
    expect(file.blob).toBeNull();
    expect(useSessionStore.getState().phase).toBe('new');
    expect(await useSessionStore.getState().finishOnboarding()).toBe(true);
    expect(file.blob).not.toBeNull();
    expect(useSessionStore.getState().phase).toBe('unlocked');
  });

  it('refuses a bad import with the reason and saves nothing', async () => {
    const { file } = mainWithVaultFile();
    await useSessionStore.getState().load();
    const result = await useSessionStore
      .getState()
      .startOnboarding({ kind: 'privateKey', privateKey: '0x1234' }, PASSWORD);
    expect(result).toBeNull();
    expect(useSessionStore.getState().error).toBeTruthy();
    expect(useSessionStore.getState().phase).toBe('new');
    expect(file.blob).toBeNull();
  });

  it('saves every change, and a refused change changes nothing', async () => {
    const { file } = mainWithVaultFile();
    await useSessionStore.getState().load();
    await useSessionStore
      .getState()
      .startOnboarding({ kind: 'mnemonic', phrase: PHRASE }, PASSWORD);
    const before = file.blob;
    expect(
      await useSessionStore.getState().change('Renaming…', (v) => v.rename(ACCOUNT0, 'Savings')),
    ).toBe(true);
    expect(file.blob).not.toBe(before);
    expect(useSessionStore.getState().accounts[0]?.name).toBe('Savings');
    const saved = file.blob;
    expect(
      await useSessionStore.getState().change('Adding…', (v) => v.addWatchOnly('0x1234', 'Bad')),
    ).toBe(false);
    expect(useSessionStore.getState().error).toBeTruthy();
    expect(file.blob).toBe(saved);
    expect(useSessionStore.getState().accounts).toHaveLength(1);
  });

  it('imports a keystore file with its own password, which is then forgotten', async () => {
    const { file, bridge } = mainWithVaultFile();
    const key = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
    const json = encryptKeystoreJsonSync(
      { address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', privateKey: key },
      'keystore pass',
      { scrypt: { N: 1 << 4 } },
    );
    await useSessionStore.getState().load();
    expect(
      await useSessionStore
        .getState()
        .startOnboarding({ kind: 'keystore', json, password: 'wrong pass' }, PASSWORD),
    ).toBeNull();
    expect(useSessionStore.getState().error).toBeTruthy();
    expect(file.blob).toBeNull();
    await useSessionStore
      .getState()
      .startOnboarding({ kind: 'keystore', json, password: 'keystore pass' }, PASSWORD);
    expect(useSessionStore.getState().accounts).toMatchObject([
      { address: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', kind: 'keystore', canSign: true },
    ]);
    const wire = JSON.stringify(bridge.calls);
    expect(wire).not.toContain(key.slice(2));
    expect(wire).not.toContain('keystore pass');
  });

  it('reports a vault main cannot read', async () => {
    installFakeBridge({
      'vault.load': () => {
        throw Object.assign(new Error('The vault file is damaged.'), { code: 'vault_corrupt' });
      },
    });
    await useSessionStore.getState().load();
    expect(useSessionStore.getState()).toMatchObject({
      phase: 'failed',
      error: 'The vault file is damaged.',
    });
  });
});
