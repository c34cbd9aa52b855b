import { encryptKeystoreJson, Wallet } from 'ethers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recoverSigner, signingDigest } from '../../plasma/eip712';
import { P1 } from '../../plasma/testing/fixtures';
import type { Address } from '../../plasma/types';
import { isWalletError, type WalletErrorCode } from './errors';
import {
  checkConfirmation,
  confirmationChallenge,
  createVault,
  DEFAULT_SCRYPT_N,
  generateMnemonic,
  parseAddress,
  unlock,
  type UnlockedVault,
} from './vault';

// Hardhat/anvil's public test mnemonic and its first two BIP-44 accounts.
const TEST_PHRASE = 'test test test test test test test test test test test junk';
const ACCOUNT_0 = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const ACCOUNT_1 = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const KEY_2 = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';
const ADDRESS_2 = '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc';
const VC = '0x44de0ec539b8c4a4b530c78620fe8320167f2f74' as Address;
const PASSWORD = 'correct horse battery';
const N = 1 << 10; // small scrypt cost: the format and checks are the same

async function errorCode(f: () => unknown): Promise<WalletErrorCode> {
  try {
    await f();
  } catch (e) {
    if (isWalletError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a WalletError');
}

async function vaultWithPhrase(): Promise<UnlockedVault> {
  const vault = await createVault(PASSWORD, { scryptN: N });
  vault.addMnemonic({ phrase: TEST_PHRASE }, 'Main');
  return vault;
}

describe('vault: create, seal, unlock', () => {
  it('derives BIP-44 accounts from a mnemonic and gets them back after sealing and unlocking', async () => {
    const vault = await vaultWithPhrase();
    const [main] = vault.accounts();
    expect(main).toMatchObject({
      address: ACCOUNT_0,
      name: 'Main',
      kind: 'mnemonic',
      canSign: true,
      index: 0,
    });
    expect(main!.checksumAddress).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    const second = vault.addAccount(main!.mnemonicId!, 'Savings');
    expect(second).toMatchObject({ address: ACCOUNT_1, index: 1 });
    vault.importPrivateKey(KEY_2, 'Imported');
    vault.addWatchOnly('0x90F79bf6EB2c4f870365E785982E1f101E93b906', 'Cold');

    const blob = await vault.seal();
    const again = await unlock(blob, PASSWORD);
    expect(again.accounts()).toEqual(vault.accounts());
    expect(again.mnemonics()).toEqual([{ id: ACCOUNT_0, wordCount: 12, indexes: [0, 1] }]);
    expect(again.accounts().map((a) => [a.kind, a.canSign])).toEqual([
      ['mnemonic', true],
      ['mnemonic', true],
      ['privateKey', true],
      ['watchOnly', false],
    ]);
  });

  it('gives the same accounts for the same mnemonic in another vault', async () => {
    const a = await vaultWithPhrase();
    const b = await createVault('another password', { scryptN: N });
    const { mnemonicId } = b.addMnemonic(
      { phrase: `  ${TEST_PHRASE.toUpperCase()} ` },
      'Elsewhere',
    );
    b.addAccount(mnemonicId, 'Two');
    a.addAccount(ACCOUNT_0, 'Two');
    expect(b.accounts().map((x) => x.address)).toEqual(a.accounts().map((x) => x.address));
  });

  it('uses scrypt N = 2^17 by default and stores the parameters in the blob', async () => {
    const vault = await createVault(PASSWORD);
    const blob = JSON.parse(await vault.seal());
    expect(DEFAULT_SCRYPT_N).toBe(1 << 17);
    expect(blob.kdf).toMatchObject({ name: 'scrypt', n: 1 << 17, r: 8, p: 1 });
    expect(blob.cipher.name).toBe('aes-256-gcm');
    expect(blob.kdf.salt).toMatch(/^0x[0-9a-f]{64}$/);
    expect(blob.cipher.iv).toMatch(/^0x[0-9a-f]{24}$/);
  });

  it('uses a fresh salt per vault and a fresh IV per seal', async () => {
    const a = await vaultWithPhrase();
    const b = await vaultWithPhrase();
    const [a1, a2, b1] = [
      JSON.parse(await a.seal()),
      JSON.parse(await a.seal()),
      JSON.parse(await b.seal()),
    ];
    expect(a1.kdf.salt).toBe(a2.kdf.salt);
    expect(a1.cipher.iv).not.toBe(a2.cipher.iv);
    expect(a1.ciphertext).not.toBe(a2.ciphertext);
    expect(a1.kdf.salt).not.toBe(b1.kdf.salt);
  });

  it('says wrong_password for a wrong password and the blob still opens with the right one', async () => {
    const blob = await (await vaultWithPhrase()).seal();
    expect(await errorCode(() => unlock(blob, 'correct horse battery!'))).toBe('wrong_password');
    expect(await errorCode(() => unlock(blob, ''))).toBe('wrong_password');
    expect((await unlock(blob, PASSWORD)).accounts()[0]!.address).toBe(ACCOUNT_0);
  });

  it('says vault_corrupt for damaged, foreign or hostile blobs', async () => {
    const blob = await (await vaultWithPhrase()).seal();
    const parsed = JSON.parse(blob);
    const flip = (hex: string) => hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');
    const keystore = await encryptKeystoreJson(
      { address: ADDRESS_2, privateKey: KEY_2 },
      PASSWORD,
      { scrypt: { N: 1 << 10 } },
    );
    const cases = [
      '',
      'not json',
      'null',
      '[]',
      keystore,
      blob.slice(0, blob.length / 2),
      JSON.stringify({ ...parsed, ciphertext: flip(parsed.ciphertext) }),
      JSON.stringify({ ...parsed, ciphertext: parsed.ciphertext.slice(0, 40) }),
      JSON.stringify({ ...parsed, cipher: { ...parsed.cipher, iv: flip(parsed.cipher.iv) } }),
      JSON.stringify({ ...parsed, version: 2 }),
      JSON.stringify({ ...parsed, extra: 1 }),
      JSON.stringify({ ...parsed, kdf: { ...parsed.kdf, n: 1 << 30 } }),
      JSON.stringify({ ...parsed, kdf: { ...parsed.kdf, n: 1 << 19 } }),
      JSON.stringify({ ...parsed, kdf: { ...parsed.kdf, n: 1000 } }),
      JSON.stringify({ ...parsed, kdf: { ...parsed.kdf, r: 1 << 20 } }),
      'x'.repeat(2_000_000),
    ];
    for (const bad of cases)
      expect(await errorCode(() => unlock(bad, PASSWORD))).toBe('vault_corrupt');
    expect(await errorCode(() => unlock(undefined as unknown as string, PASSWORD))).toBe(
      'vault_corrupt',
    );
  });

  it('refuses a password shorter than 8 characters', async () => {
    expect(await errorCode(() => createVault('short', { scryptN: N }))).toBe('weak_password');
    expect(await errorCode(() => createVault(PASSWORD, { scryptN: 1000 }))).toBe(
      'invalid_argument',
    );
  });
});

describe('vault: lock and password change', () => {
  it('lock() forgets everything: reads, sealing and signers obtained earlier all refuse', async () => {
    const vault = await vaultWithPhrase();
    const signer = vault.signer(ACCOUNT_0);
    vault.lock();
    vault.lock();
    expect(vault.isLocked).toBe(true);
    expect(await errorCode(() => vault.accounts())).toBe('vault_locked');
    expect(await errorCode(() => vault.seal())).toBe('vault_locked');
    expect(await errorCode(() => signer.signDigest(new Uint8Array(32)))).toBe('vault_locked');
    expect(await errorCode(() => vault.importPrivateKey(KEY_2, 'x'))).toBe('vault_locked');
  });

  it('changes the password only when the current one is right', async () => {
    const vault = await vaultWithPhrase();
    const before = await vault.seal();
    expect(await errorCode(() => vault.changePassword('wrong password', 'new password 1'))).toBe(
      'wrong_password',
    );
    expect(await errorCode(() => vault.changePassword(PASSWORD, 'short'))).toBe('weak_password');
    expect(
      await errorCode(() => vault.changePassword(PASSWORD, 'new password 1', { scryptN: 1000 })),
    ).toBe('invalid_argument');
    expect(
      await errorCode(() => vault.changePassword(PASSWORD, 'new password 1', { scryptN: 1 << 19 })),
    ).toBe('invalid_argument');
    expect((await unlock(await vault.seal(), PASSWORD)).accounts()).toHaveLength(1);

    const after = await vault.changePassword(PASSWORD, 'new password 1');
    expect(JSON.parse(after).kdf.salt).not.toBe(JSON.parse(before).kdf.salt);
    expect(await errorCode(() => unlock(after, PASSWORD))).toBe('wrong_password');
    expect((await unlock(after, 'new password 1')).accounts()[0]!.address).toBe(ACCOUNT_0);
    expect(JSON.parse(await vault.seal()).kdf.salt).toBe(JSON.parse(after).kdf.salt);
  });
});

describe('vault: accounts', () => {
  it('generates 12- and 24-word phrases, shown once in the result', async () => {
    const vault = await createVault(PASSWORD, { scryptN: N });
    const twelve = vault.addMnemonic({ generate: 12 }, 'A');
    const twentyFour = vault.addMnemonic({ generate: 24 }, 'B');
    expect(twelve.phrase!.split(' ')).toHaveLength(12);
    expect(twentyFour.phrase!.split(' ')).toHaveLength(24);
    expect(vault.mnemonics().map((m) => m.wordCount)).toEqual([12, 24]);
    expect(generateMnemonic(12)).not.toBe(generateMnemonic(12));
    expect(vault.addMnemonic({ phrase: TEST_PHRASE }, 'C').phrase).toBeNull();
  });

  it('refuses invalid and duplicate imports with a clear error, adding nothing', async () => {
    const vault = await vaultWithPhrase();
    vault.importPrivateKey(KEY_2.slice(2), 'Raw');
    const count = vault.accounts().length;
    const attempts: [() => unknown, WalletErrorCode][] = [
      [() => vault.addMnemonic({ phrase: TEST_PHRASE }, 'Again'), 'duplicate_import'],
      [() => vault.addMnemonic({ phrase: 'test '.repeat(11) + 'test' }, 'Bad'), 'invalid_mnemonic'],
      [() => vault.addMnemonic({ phrase: 'test test test' }, 'Short'), 'invalid_mnemonic'],
      [() => vault.importPrivateKey(KEY_2, 'Again'), 'duplicate_import'],
      [() => vault.importPrivateKey('0x' + '00'.repeat(32), 'Zero'), 'invalid_private_key'],
      [() => vault.importPrivateKey('0x' + 'ff'.repeat(32), 'Too big'), 'invalid_private_key'],
      [() => vault.importPrivateKey('0x1234', 'Short'), 'invalid_private_key'],
      [
        () =>
          vault.importPrivateKey(
            'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
            'Mnemonic 0',
          ),
        'duplicate_import',
      ],
      [() => vault.addWatchOnly(ACCOUNT_0, 'Watch'), 'duplicate_import'],
      [
        () => vault.addWatchOnly('0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266', 'Typo'),
        'invalid_address',
      ],
      [() => vault.addWatchOnly('0x1234', 'Short'), 'invalid_address'],
      [() => vault.addAccount(ACCOUNT_0, 'Index 0', 0), 'duplicate_import'],
      [() => vault.addAccount(ACCOUNT_0, 'Negative', -1), 'invalid_argument'],
      [() => vault.addAccount('0xnope', 'No such'), 'account_not_found'],
      [() => vault.addAccount(ACCOUNT_0, '   '), 'invalid_name'],
      [() => vault.addAccount(ACCOUNT_0, 'x'.repeat(65)), 'invalid_name'],
    ];
    for (const [attempt, code] of attempts) expect(await errorCode(attempt)).toBe(code);
    expect(vault.accounts()).toHaveLength(count);
  });

  it('adds accounts at the next free index or the one asked for', async () => {
    const vault = await vaultWithPhrase();
    expect(vault.addAccount(ACCOUNT_0, 'Five', 5).index).toBe(5);
    expect(vault.addAccount(ACCOUNT_0, 'Next').index).toBe(1);
    expect(vault.addAccount(ACCOUNT_0, 'Then').index).toBe(2);
    expect(vault.mnemonics()[0]!.indexes).toEqual([0, 1, 2, 5]);
  });

  it('imports a keystore with its own password and refuses a wrong one or a hostile file', async () => {
    const vault = await vaultWithPhrase();
    const keystore = await encryptKeystoreJson(
      { address: ADDRESS_2, privateKey: KEY_2 },
      'keystore pw',
      { scrypt: { N: 1 << 10 } },
    );
    expect(await errorCode(() => vault.importKeystore(keystore, 'wrong', 'K'))).toBe(
      'wrong_password',
    );
    expect(vault.accounts()).toHaveLength(1);
    const account = await vault.importKeystore(keystore, 'keystore pw', 'K');
    expect(account).toMatchObject({ address: ADDRESS_2, kind: 'keystore', canSign: true });
    expect(await errorCode(() => vault.importKeystore(keystore, 'keystore pw', 'K2'))).toBe(
      'duplicate_import',
    );
    const costly = JSON.parse(keystore);
    costly.Crypto.kdfparams.n = 1 << 30;
    const lowercase = { ...costly, crypto: costly.Crypto, Crypto: undefined };
    const pbkdf2 = {
      ...costly,
      Crypto: { ...costly.Crypto, kdf: 'pbkdf2', kdfparams: { c: 1e12 } },
    };
    for (const bad of [
      '{}',
      'nope',
      'null',
      JSON.stringify(costly),
      JSON.stringify(lowercase),
      JSON.stringify(pbkdf2),
      'x'.repeat(100_000),
    ]) {
      expect(await errorCode(() => vault.importKeystore(bad, 'keystore pw', 'K3'))).toBe(
        'invalid_keystore',
      );
    }
    const blob = await vault.seal();
    const signer = (await unlock(blob, PASSWORD)).signer(ADDRESS_2);
    const digest = signingDigest(P1, VC);
    expect(recoverSigner(digest, signer.signDigest(digest))).toBe(ADDRESS_2);
  });

  it('renames and removes accounts, and removes a mnemonic with its accounts', async () => {
    const vault = await vaultWithPhrase();
    vault.addAccount(ACCOUNT_0, 'Two');
    vault.addWatchOnly(ADDRESS_2, 'Watch');
    expect(vault.rename(ACCOUNT_1.toUpperCase().replace('0X', '0x'), '  Spending ').name).toBe(
      'Spending',
    );
    vault.remove(ADDRESS_2);
    expect(await errorCode(() => vault.remove(ADDRESS_2))).toBe('account_not_found');
    vault.remove(ACCOUNT_0);
    expect(vault.mnemonics()[0]!.indexes).toEqual([1]);
    expect(vault.addAccount(ACCOUNT_0, 'Back').index).toBe(0);
    vault.removeMnemonic(ACCOUNT_0);
    expect(vault.accounts()).toEqual([]);
    expect(vault.mnemonics()).toEqual([]);
    const reopened = await unlock(await vault.seal(), PASSWORD);
    expect(reopened.accounts()).toEqual([]);
  });

  it('signs only for accounts with keys, and the signatures recover to the account', async () => {
    const vault = await vaultWithPhrase();
    vault.addWatchOnly(ADDRESS_2, 'Watch');
    expect(await errorCode(() => vault.signer(ADDRESS_2))).toBe('watch_only');
    expect(await errorCode(() => vault.signer('0x' + '11'.repeat(20)))).toBe('account_not_found');
    const signer = vault.signer(ACCOUNT_0);
    const sigs = signer.signPayment(P1, VC);
    expect(sigs).toHaveLength(P1.inputs.length);
    expect(recoverSigner(signingDigest(P1, VC), sigs[0]!)).toBe(ACCOUNT_0);
    const viaEthers = new Wallet(
      '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
    );
    expect(viaEthers.address.toLowerCase()).toBe(ACCOUNT_0);
  });
});

describe('parseAddress', () => {
  it('accepts lowercase, uppercase and correctly checksummed addresses, returning lowercase', () => {
    expect(parseAddress('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')).toBe(ACCOUNT_0);
    expect(parseAddress(` ${ACCOUNT_0} `)).toBe(ACCOUNT_0);
    expect(parseAddress('0x' + ACCOUNT_0.slice(2).toUpperCase())).toBe(ACCOUNT_0);
    expect(() => parseAddress('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92267')).toThrow(/checksum/);
    expect(() => parseAddress('f39fd6e51aad88f6f4ce6ab8827279cfffb92266')).toThrow(/0x/);
  });
});

describe('mnemonic confirmation', () => {
  it('asks for distinct random positions and reports the wrong answers', () => {
    const words = TEST_PHRASE.split(' ');
    for (let i = 0; i < 50; i++) {
      const { positions } = confirmationChallenge(12, 3);
      expect(new Set(positions).size).toBe(3);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(positions.every((p) => p >= 0 && p < 12)).toBe(true);
    }
    const challenge = confirmationChallenge(12, 3, () => 0);
    expect(challenge.positions).toEqual([0, 1, 2]);
    const phrase = words.map((w, i) => (i === 11 ? w : `${w}${i}`)).join(' ');
    expect(checkConfirmation(phrase, challenge, ['TEST0 ', 'test1', 'test2'])).toEqual([]);
    expect(checkConfirmation(phrase, challenge, ['test0', 'wrong', ''])).toEqual([1, 2]);
    expect(checkConfirmation(phrase, challenge, [])).toEqual([0, 1, 2]);
    expect(() => confirmationChallenge(12, 13)).toThrow(/1 to 12/);
  });
});

describe('vault: any sequence of changes survives sealing', () => {
  const keys = [KEY_2, '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6'];
  const op = fc.oneof(
    fc.record({ kind: fc.constant('phrase' as const) }),
    fc.record({ kind: fc.constant('account' as const), index: fc.option(fc.nat({ max: 6 })) }),
    fc.record({ kind: fc.constant('key' as const), which: fc.nat({ max: 1 }) }),
    fc.record({ kind: fc.constant('watch' as const), byte: fc.integer({ min: 1, max: 255 }) }),
    fc.record({
      kind: fc.constant('rename' as const),
      pick: fc.nat(),
      name: fc.string({ minLength: 1, maxLength: 64 }),
    }),
    fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  );

  it('keeps addresses unique and gets every account, name and index back after unlock', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 8 }), async (ops) => {
        const vault = await createVault(PASSWORD, { scryptN: 1 << 4 });
        for (const o of ops) {
          const accounts = vault.accounts();
          const picked = accounts[('pick' in o ? o.pick : 0) % Math.max(1, accounts.length)];
          try {
            if (o.kind === 'phrase') vault.addMnemonic({ phrase: TEST_PHRASE }, 'Phrase');
            if (o.kind === 'account') vault.addAccount(ACCOUNT_0, 'Derived', o.index ?? undefined);
            if (o.kind === 'key') vault.importPrivateKey(keys[o.which]!, 'Key');
            if (o.kind === 'watch')
              vault.addWatchOnly('0x' + o.byte.toString(16).padStart(2, '0').repeat(20), 'Watch');
            if (o.kind === 'rename' && picked) vault.rename(picked.address, o.name);
            if (o.kind === 'remove' && picked) vault.remove(picked.address);
          } catch (e) {
            if (!isWalletError(e)) throw e;
            expect(['duplicate_import', 'account_not_found', 'invalid_name']).toContain(e.code);
          }
          const addresses = vault.accounts().map((a) => a.address);
          expect(new Set(addresses).size).toBe(addresses.length);
        }
        const again = await unlock(await vault.seal(), PASSWORD);
        expect(again.accounts()).toEqual(vault.accounts());
        expect(again.mnemonics()).toEqual(vault.mnemonics());
      }),
      { numRuns: 25 },
    );
  });
});
