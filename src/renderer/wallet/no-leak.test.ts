// Item 7 of issue 7: everything a whole wallet session hands out — blobs, signed transactions, reviews,
// account views, error messages, console output — is searched for the secrets that went in. Only the
// ciphertext may carry them, and it carries them encrypted.
import { computeAddress, encryptKeystoreJson, HDNodeWallet, Mnemonic } from 'ethers';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { encodeUtxoPos } from '../../plasma/position';
import { BOB, TOKEN } from '../../plasma/testing/fixtures';
import { ETH_TOKEN, type Address, type Utxo } from '../../plasma/types';
import { selectCoins } from './coin-selection';
import { planDeposit, signEthereumTx } from './ethereum-tx';
import { signTransaction } from './signing';
import {
  checkConfirmation,
  confirmationChallenge,
  createVault,
  unlock,
  BIP44_ETH_PATH,
} from './vault';

const PASSWORD = 'vault password: tulip-91';
const NEW_PASSWORD = 'second password: fern-27';
const KEYSTORE_PASSWORD = 'keystore password: moss-55';
const RAW_KEY = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';
const KEYSTORE_KEY = '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6';
const VC = '0x44de0ec539b8c4a4b530c78620fe8320167f2f74' as Address;

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

/** Every way a secret could show up in text: as given, without 0x, upper case, and runs of mnemonic words. */
function needles(secrets: { keys: string[]; phrases: string[]; passwords: string[] }): string[] {
  const out = new Set<string>();
  for (const k of secrets.keys) {
    const bare = k.slice(2).toLowerCase();
    out.add(bare).add(bare.toUpperCase());
  }
  for (const phrase of secrets.phrases) {
    const words = phrase.split(' ');
    // Any three consecutive words of the phrase (a leaked fragment, not a lone common word).
    for (let i = 0; i + 3 <= words.length; i++) out.add(words.slice(i, i + 3).join(' '));
    out.add(words.join(','));
    out.add(json(words).slice(1, 40));
  }
  for (const p of secrets.passwords) out.add(p);
  return [...out];
}

describe('a whole wallet session leaks no secret', () => {
  let logs: MockInstance[] = [];
  beforeEach(() => {
    logs = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => {}),
    );
  });
  afterEach(() => vi.restoreAllMocks());

  it('keeps keys, phrases and passwords out of everything it outputs except the ciphertext', async () => {
    const outputs: unknown[] = [];
    const errors: string[] = [];
    const attempt = async (f: () => unknown) => {
      try {
        outputs.push(await f());
      } catch (e) {
        const error = e as Error;
        errors.push(
          String(error),
          error.message,
          json(error),
          error.stack ?? '',
          String(error.cause),
        );
      }
    };

    const vault = await createVault(PASSWORD, { scryptN: 1 << 10 });
    const created = vault.addMnemonic({ generate: 24 }, 'Main');
    const phrase = created.phrase!;
    const challenge = confirmationChallenge(24, 4);
    outputs.push(
      challenge,
      checkConfirmation(
        phrase,
        challenge,
        challenge.positions.map(() => 'wrong'),
      ),
    );
    outputs.push({ ...created, phrase: null }, vault.addAccount(created.mnemonicId, 'Second'));
    outputs.push(vault.importPrivateKey(RAW_KEY, 'Raw'));
    const keystore = await encryptKeystoreJson(
      { address: computeAddress(KEYSTORE_KEY), privateKey: KEYSTORE_KEY },
      KEYSTORE_PASSWORD,
      { scrypt: { N: 1 << 10 } },
    );
    await attempt(() => vault.importKeystore(keystore, 'not the keystore password', 'K'));
    outputs.push(await vault.importKeystore(keystore, KEYSTORE_PASSWORD, 'Keystore'));
    outputs.push(vault.addWatchOnly(BOB, 'Bob'));
    // Mistakes a person makes with secrets in hand: their messages must not echo them.
    await attempt(() => vault.addMnemonic({ phrase }, 'Again'));
    await attempt(() =>
      vault.addMnemonic({ phrase: phrase.split(' ').reverse().join(' ') }, 'Reversed'),
    );
    await attempt(() =>
      vault.addMnemonic({ phrase: phrase.split(' ').slice(0, 23).join(' ') }, 'Short'),
    );
    await attempt(() => vault.importPrivateKey(RAW_KEY, 'Again'));
    await attempt(() => vault.importPrivateKey(RAW_KEY.slice(0, -1), 'Cut'));
    await attempt(() => vault.importPrivateKey(RAW_KEY + '00', 'Long'));
    const blob = await vault.seal();
    await attempt(() => unlock(blob, PASSWORD.slice(0, -1)));
    await attempt(() => vault.changePassword(NEW_PASSWORD, PASSWORD));

    const opened = await unlock(blob, PASSWORD);
    outputs.push(opened.accounts(), opened.mnemonics());
    for (const account of opened.accounts().filter((a) => a.canSign)) {
      const me = account.address;
      const utxos: Utxo[] = [1n, 2n, 3n, 4n, 5n, 6n].map((b) => ({
        utxoPos: encodeUtxoPos({ blknum: b * 1000n, txindex: 0n, oindex: 0n }),
        owner: me,
        token: b === 6n ? ETH_TOKEN : TOKEN,
        amount: 100n,
      }));
      const signer = opened.signer(me);
      const payment = selectCoins(utxos, {
        from: me,
        to: BOB,
        token: TOKEN,
        amount: 150n,
        fee: { token: ETH_TOKEN, amount: 1n },
      });
      outputs.push(payment, signTransaction(signer, payment, VC));
      const merge = selectCoins(utxos, {
        from: me,
        to: BOB,
        token: TOKEN,
        amount: 450n,
        fee: { token: ETH_TOKEN, amount: 1n },
      });
      outputs.push(merge, signTransaction(signer, merge, VC));
      for (const step of planDeposit({
        owner: me,
        token: TOKEN,
        amount: 10n,
        allowance: 1n,
        vaults: { ethVault: VC, erc20Vault: VC },
      })) {
        outputs.push(
          step,
          signEthereumTx(signer, step.request, {
            fee: { chainId: 31337, maxFeePerGas: '10', maxPriorityFeePerGas: '1' },
            nonce: 0,
            gasLimit: 100_000n,
          }),
        );
      }
    }
    const changed = await opened.changePassword(PASSWORD, NEW_PASSWORD);
    opened.lock();
    await attempt(() => opened.accounts());
    await attempt(() => opened.seal());

    // The secrets that went in, including the keys derived from the phrase.
    const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(phrase), BIP44_ETH_PATH);
    const secrets = {
      keys: [
        RAW_KEY,
        KEYSTORE_KEY,
        root.deriveChild(0).privateKey,
        root.deriveChild(1).privateKey,
        root.privateKey,
      ],
      phrases: [phrase],
      passwords: [PASSWORD, NEW_PASSWORD, KEYSTORE_PASSWORD],
    };
    const logged = logs.flatMap((spy) => spy.mock.calls.map((c) => json(c)));
    expect(logged).toEqual([]);
    expect(errors.length).toBeGreaterThanOrEqual(10);

    const blobs = [blob, changed];
    const everything = [json(outputs), ...errors, ...blobs].join('\n');
    for (const needle of needles(secrets)) {
      expect(everything.includes(needle), `leaked: ${needle.slice(0, 6)}…`).toBe(false);
    }
    // The blobs hold the secrets, encrypted: they open with the password and nothing else.
    for (const b of blobs)
      expect(Object.keys(JSON.parse(b)).sort()).toEqual([
        'check',
        'cipher',
        'ciphertext',
        'format',
        'kdf',
        'version',
      ]);
    expect((await unlock(changed, NEW_PASSWORD)).accounts()).toHaveLength(5);
  });
});
