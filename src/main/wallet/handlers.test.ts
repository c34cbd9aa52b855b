import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES } from '../../shared/ipc';
import type { NetworkProfile } from '../../shared/network-profile';
import { createHandlerTable } from '../ipc/app-handlers';
import { HandlerError, dispatch } from '../ipc/router';
import { tempDir } from '../store/testing/tmp';
import { walletHandlers } from './handlers';
import { deferredWalletHandlers, type AppServices } from './services';
import { NetworkRegistry } from './networks';
import { SettingsFile } from './settings';
import { VaultFile } from './vault';
import { TEST_PROFILE } from '../watcher/testing';

const tmp = tempDir('vigil-wallet-handlers-');
afterAll(() => tmp.remove());

const facts = {
  appVersion: '1',
  electronVersion: null,
  chromeVersion: null,
  nodeVersion: '24',
  platform: 'linux',
  arch: 'x64',
  dataDirectory: tmp.dir,
};

function deps(dir: string) {
  const unavailable = () => {
    throw new HandlerError('service_unavailable', 'No network in this test.');
  };
  return {
    vault: new VaultFile(dir, () => 42),
    settings: new SettingsFile(dir),
    networks: new NetworkRegistry(dir),
    network: unavailable,
    select: unavailable,
    tokenInfo: unavailable,
  };
}

function table(dir: string) {
  return createHandlerTable(facts, walletHandlers(deps(dir)));
}

const ADDRESS = '0x' + 'ab'.repeat(20);
// A public-network profile (chain 5), so the watcher's public defaults apply.
const PROFILE: NetworkProfile = {
  ...TEST_PROFILE,
  chainId: 5,
  frameworkDeployBlock: 1,
  finality: { deposits: 10, exits: 12 },
};

describe('wallet requests with bad input get typed errors', () => {
  const t = table(tmp.dir);
  it.each([
    ['unknown field', 'vault.load', { extra: 1 }],
    ['blob of the wrong type', 'vault.save', { blob: 42 }],
    ['address that is not hex', 'chain.account', { address: '0xnothex' }],
    ['address too short', 'eth.account', { address: '0x1234' }],
    ['address as a number', 'eth.token', { address: 123 }],
    ['history limit above 1000', 'chain.history', { address: ADDRESS, limit: 1001 }],
    ['history limit not an integer', 'chain.history', { address: ADDRESS, limit: 1.5 }],
    ['search over 200 characters', 'chain.history', { address: ADDRESS, search: 'x'.repeat(201) }],
    ['transaction not hex', 'chain.submit', { transaction: 'f86b' }],
    ['transaction of odd length', 'chain.submit', { transaction: '0xabc' }],
    ['transaction far too large', 'chain.submit', { transaction: '0x' + 'ab'.repeat(20_000) }],
    ['raw transaction missing', 'eth.send', {}],
    [
      'value not decimal',
      'eth.estimateGas',
      { from: ADDRESS, to: ADDRESS, data: '0x', value: '1e18' },
    ],
    ['negative value', 'eth.estimateGas', { from: ADDRESS, to: ADDRESS, data: '0x', value: '-1' }],
    ['hash of 31 bytes', 'deposit.progress', { ethTxHash: '0x' + '11'.repeat(31) }],
    ['network id with a slash', 'network.select', { id: '../x' }],
    ['idle minutes negative', 'settings.set', { idleLockMinutes: -1 }],
    ['notifications as text', 'settings.set', { notifications: 'yes' }],
    ['unknown settings field', 'settings.set', { theme: 'dark' }],
    ['params as an array', 'chain.fees', []],
  ])('%s', async (_what, method, params) => {
    const r = await dispatch(t, method, params);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
  });

  it('refuses a huge vault before any handler runs', async () => {
    const r = await dispatch(t, 'vault.save', {
      blob: '{"x":"' + 'a'.repeat(MAX_REQUEST_BYTES) + '"}',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
  });

  it('answers service_unavailable for chain requests while no network runs', async () => {
    expect(await dispatch(t, 'chain.snapshot', {})).toMatchObject({
      ok: false,
      error: { code: 'service_unavailable', message: 'No network in this test.' },
    });
  });
});

describe('vault.load / vault.save', () => {
  it('stores the blob as it was given, mode 0600, with the previous version as backup', async () => {
    const dir = tempDir('vigil-vault-');
    const t = table(dir.dir);
    expect(await dispatch(t, 'vault.load', {})).toEqual({ ok: true, value: { blob: null } });
    const first = JSON.stringify({ version: 1, ciphertext: 'aa' });
    const second = JSON.stringify({ version: 1, ciphertext: 'bb' });
    expect(await dispatch(t, 'vault.save', { blob: first })).toEqual({
      ok: true,
      value: { savedAt: 42 },
    });
    expect(await dispatch(t, 'vault.save', { blob: second })).toMatchObject({ ok: true });
    expect(await dispatch(t, 'vault.load', {})).toEqual({ ok: true, value: { blob: second } });
    const path = join(dir.dir, 'vault.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(first);
    dir.remove();
  });

  it('refuses to save a blob that is not a JSON object, and changes nothing', async () => {
    const dir = tempDir('vigil-vault-');
    const t = table(dir.dir);
    for (const blob of ['not json', '[1,2]', 'null']) {
      expect(await dispatch(t, 'vault.save', { blob })).toMatchObject({
        ok: false,
        error: { code: 'vault_invalid' },
      });
    }
    expect(existsSync(join(dir.dir, 'vault.json'))).toBe(false);
    dir.remove();
  });

  it('reports a damaged vault file, and the next save keeps it aside instead of overwriting it', async () => {
    const dir = tempDir('vigil-vault-');
    const t = table(dir.dir);
    const path = join(dir.dir, 'vault.json');
    writeFileSync(path, '{"ciphertext": "aa', { mode: 0o600 });
    const load = await dispatch(t, 'vault.load', {});
    expect(load).toMatchObject({ ok: false, error: { code: 'vault_corrupt' } });
    expect(readFileSync(path, 'utf8')).toBe('{"ciphertext": "aa');
    expect(await dispatch(t, 'vault.save', { blob: '{"ok":true}' })).toMatchObject({ ok: true });
    const aside = readdirSync(dir.dir).filter((f) => f.startsWith('vault.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir.dir, aside[0]!), 'utf8')).toBe('{"ciphertext": "aa');
    dir.remove();
  });
});

describe('settings', () => {
  it('has defaults, merges changes, persists them, and survives a damaged file', async () => {
    const dir = tempDir('vigil-settings-');
    const t = table(dir.dir);
    expect(await dispatch(t, 'settings.get', {})).toEqual({
      ok: true,
      value: { idleLockMinutes: 5, notifications: true },
    });
    expect(await dispatch(t, 'settings.set', { notifications: false })).toEqual({
      ok: true,
      value: { idleLockMinutes: 5, notifications: false },
    });
    expect(await dispatch(table(dir.dir), 'settings.get', {})).toMatchObject({
      value: { notifications: false },
    });
    writeFileSync(join(dir.dir, 'settings.json'), '{"idleLockMinutes": "soon"}');
    expect(await dispatch(t, 'settings.get', {})).toMatchObject({ value: { idleLockMinutes: 5 } });
    dir.remove();
  });
});

describe('networks', () => {
  it('lists the devnet first and selected by default', async () => {
    const dir = tempDir('vigil-networks-');
    expect(await dispatch(table(dir.dir), 'network.list', {})).toEqual({
      ok: true,
      value: [{ id: 'devnet', name: 'Local devnet', chainId: 31337, selected: true }],
    });
    dir.remove();
  });

  it('adds a valid profile once, and refuses text that is not a profile with the reason', async () => {
    const dir = tempDir('vigil-networks-');
    const t = table(dir.dir);
    const added = await dispatch(t, 'network.add', { profile: JSON.stringify(PROFILE) });
    expect(added).toEqual({
      ok: true,
      value: { id: 'test-net-5', name: 'Test net', chainId: 5, selected: false },
    });
    expect(await dispatch(t, 'network.add', { profile: JSON.stringify(PROFILE) })).toEqual(added);
    expect(await dispatch(t, 'network.add', { profile: '{"version": 1' })).toMatchObject({
      ok: false,
      error: { code: 'profile_invalid', message: expect.stringContaining('not JSON') },
    });
    const bad = { ...PROFILE, rpcUrl: 'ftp://x' };
    expect(await dispatch(t, 'network.add', { profile: JSON.stringify(bad) })).toMatchObject({
      ok: false,
      error: { code: 'profile_invalid', message: expect.stringContaining('rpcUrl') },
    });
    const list = await dispatch(t, 'network.list', {});
    expect(list.ok && (list.value as unknown[]).length).toBe(2);
    dir.remove();
  });

  it('refuses to select a network that was never added', async () => {
    const registry = new NetworkRegistry(tmp.dir);
    expect(() => registry.select('nope')).toThrow(HandlerError);
    expect(registry.selectedId()).toBe('devnet');
  });
});

describe('deferredWalletHandlers', () => {
  it('lets requests wait for services still starting, then answers through them', async () => {
    let start: (s: AppServices) => void = () => undefined;
    const services = new Promise<AppServices>((resolve) => (start = resolve));
    const t = createHandlerTable(facts, deferredWalletHandlers(services));
    const pending = dispatch(t, 'network.list', {});
    const dir = tempDir('vigil-deferred-');
    start({ handlers: walletHandlers({ ...deps(dir.dir) }) } as AppServices);
    expect(await pending).toMatchObject({ ok: true, value: [{ id: 'devnet', selected: true }] });
    expect(await dispatch(t, 'chain.snapshot', {})).toMatchObject({
      ok: false,
      error: { code: 'service_unavailable' },
    });
    dir.remove();
  });
});
