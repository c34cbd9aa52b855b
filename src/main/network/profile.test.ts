import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NetworkProfile } from '../../shared/network-profile';
import { ProfileError, readNetworkProfile, writeNetworkProfile } from './profile';

const profile: NetworkProfile = {
  version: 1,
  name: 'devnet',
  chainId: 31337,
  rpcUrl: 'http://127.0.0.1:8545',
  childChainUrl: 'http://127.0.0.1:9656',
  contracts: {
    plasmaFramework: '0x' + 'a1'.repeat(20),
    ethVault: '0x' + 'a2'.repeat(20),
    erc20Vault: '0x' + 'a3'.repeat(20),
    paymentExitGame: '0x' + 'a4'.repeat(20),
  },
  frameworkDeployTx: '0x' + 'b1'.repeat(32),
  frameworkDeployBlock: 3,
  authority: '0x' + 'c1'.repeat(20),
  minExitPeriod: 20,
  childBlockInterval: 1000,
  finality: { deposits: 2, exits: 2 },
  tokens: [{ address: '0x' + 'd1'.repeat(20), symbol: 'TST', decimals: 18 }],
};

const dir = mkdtempSync(join(tmpdir(), 'vigil-profile-'));
afterEach(() => rmSync(join(dir, 'p.json'), { force: true }));

describe('network profiles', () => {
  it('round-trips through a file, lowercasing addresses', () => {
    const path = join(dir, 'p.json');
    writeNetworkProfile(path, { ...profile, authority: '0x' + 'C1'.repeat(20) });
    expect(readNetworkProfile(path)).toEqual(profile);
  });

  it.each([
    ['a missing file', null, 'profile_unreadable', /Cannot read/],
    ['not JSON', '{', 'profile_invalid', /not JSON/],
    [
      'a bad address',
      JSON.stringify({ ...profile, authority: '0x12' }),
      'profile_invalid',
      /"authority"/,
    ],
    [
      'an unknown field',
      JSON.stringify({ ...profile, extra: 1 }),
      'profile_invalid',
      /not a valid network profile/,
    ],
    [
      'a too small exit period',
      JSON.stringify({ ...profile, minExitPeriod: 1 }),
      'profile_invalid',
      /"minExitPeriod"/,
    ],
  ])('refuses %s with a clear error', (_name, content, code, message) => {
    const path = join(dir, 'p.json');
    if (content !== null) writeFileSync(path, content);
    try {
      readNetworkProfile(path);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ProfileError);
      expect((e as ProfileError).code).toBe(code);
      expect((e as Error).message).toMatch(message);
    }
  });

  it('never writes an invalid profile', () => {
    const path = join(dir, 'p.json');
    writeFileSync(path, 'old');
    expect(() => writeNetworkProfile(path, { ...profile, chainId: -1 })).toThrow(ProfileError);
    expect(readFileSync(path, 'utf8')).toBe('old');
  });
});
