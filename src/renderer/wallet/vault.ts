// The encrypted vault: every key the wallet holds (BIP-39 mnemonics with their BIP-44 accounts,
// imported raw keys and keystores, watch-only addresses), serialised as versioned JSON and sealed with
// scrypt + AES-256-GCM. The sealed blob is the only thing that ever leaves this module; main stores it
// opaquely (vault.save). While unlocked, secrets live here as byte arrays that lock() zeroes.

import { scryptAsync } from '@noble/hashes/scrypt';
import { sha256 } from '@noble/hashes/sha2';
import {
  HDNodeWallet,
  Mnemonic,
  SigningKey,
  computeAddress,
  decryptKeystoreJson,
  getAddress,
  isKeystoreJson,
  randomBytes,
} from 'ethers';
import { z } from 'zod';
import { signDigest, signPayment } from '../../plasma/eip712';
import { bytesToHex, hexToBytes, isHex } from '../../plasma/hex';
import { SECP256K1_N } from '../../plasma/recover';
import type { Address, Hex, PaymentTx } from '../../plasma/types';
import { WalletError } from './errors';

// ---------------------------------------------------------------------------------------------
// Public types

export type AccountKind = 'mnemonic' | 'privateKey' | 'keystore' | 'watchOnly';

/** What the screens may know about an account: never a secret. */
export interface AccountView {
  /** Lowercase 0x address: the account's id everywhere (IPC, selection, rename, remove). */
  address: Address;
  /** EIP-55 spelling, for display. */
  checksumAddress: string;
  name: string;
  kind: AccountKind;
  canSign: boolean;
  /** For `mnemonic` accounts: the mnemonic's id and the BIP-44 index i of m/44'/60'/0'/0/i. */
  mnemonicId: string | null;
  index: number | null;
}

export interface MnemonicView {
  /** The address of the mnemonic's account 0 (public; lets two imports of one phrase be told apart). */
  id: string;
  wordCount: number;
  /** Indexes of the accounts derived so far, ascending. */
  indexes: number[];
}

/** Signs for one account. Holds no key itself: each call reads it from the vault, which must still be unlocked. */
export interface AccountSigner {
  readonly address: Address;
  /** One EIP-712 signature per input of `tx` (every input must be this account's). */
  signPayment(tx: PaymentTx, verifyingContract: Address): Hex[];
  /** A raw secp256k1 signature r ‖ s ‖ v (v 27/28) of a 32-byte digest: Ethereum transactions. */
  signDigest(digest: Uint8Array): Hex;
}

export interface VaultOptions {
  /** scrypt cost N (a power of two). Default 2^17; tests pass a small one. Stored in the blob. */
  scryptN?: number;
}

export const DEFAULT_SCRYPT_N = 1 << 17;
export const MIN_PASSWORD_LENGTH = 8;
/** Largest blob unlock() reads (the IPC contract carries at most 1 MB). */
export const MAX_BLOB_BYTES = 1_000_000;
export const BIP44_ETH_PATH = "m/44'/60'/0'/0";
/** Above this, hostile parameters would exhaust memory or time; unlock refuses them as corrupt. */
const MAX_SCRYPT_N = 1 << 18;
const MIN_SCRYPT_N = 1 << 4;
const FORMAT = 'vigil-vault';
const VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Blob and plaintext formats

const hexOf = (bytes: number) =>
  z.string().refine((s) => isHex(s, bytes), `must be ${bytes} bytes of 0x hex`);

const blobSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  kdf: z.strictObject({
    name: z.literal('scrypt'),
    n: z
      .number()
      .int()
      .min(MIN_SCRYPT_N)
      .max(MAX_SCRYPT_N)
      .refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
    r: z.literal(8),
    p: z.literal(1),
    salt: hexOf(32),
  }),
  cipher: z.strictObject({ name: z.literal('aes-256-gcm'), iv: hexOf(12) }),
  /** sha256 of the second half of the scrypt output: tells a wrong password from a damaged blob. */
  check: hexOf(32),
  ciphertext: z.string().regex(/^0x([0-9a-f]{2})+$/),
});
type Blob = z.infer<typeof blobSchema>;

const nameSchema = z.string().min(1).max(64);
const addressSchema = z.string().refine((s) => isHex(s, 20) && s === s.toLowerCase());

const storedAccountSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('mnemonic'),
    address: addressSchema,
    name: nameSchema,
    mnemonicId: z.string(),
    index: z.number().int().min(0).max(0x7fffffff),
  }),
  z.strictObject({
    kind: z.enum(['privateKey', 'keystore']),
    address: addressSchema,
    name: nameSchema,
    privateKey: hexOf(32),
  }),
  z.strictObject({ kind: z.literal('watchOnly'), address: addressSchema, name: nameSchema }),
]);

const plaintextSchema = z.strictObject({
  version: z.literal(VERSION),
  mnemonics: z.array(z.strictObject({ id: z.string(), phrase: z.string() })),
  accounts: z.array(storedAccountSchema),
});
type Plaintext = z.infer<typeof plaintextSchema>;

// In memory, secrets are bytes so that lock() can zero them.
interface HeldMnemonic {
  id: string;
  phrase: Uint8Array;
}
interface HeldAccount {
  kind: AccountKind;
  address: Address;
  name: string;
  mnemonicId: string | null;
  index: number | null;
  /** Raw 32-byte key for privateKey/keystore accounts; derived lazily (and cached) for mnemonic ones. */
  key: Uint8Array | null;
}

// ---------------------------------------------------------------------------------------------
// Crypto helpers

const utf8 = new TextEncoder();
// WebCrypto's types want ArrayBuffer-backed views; ours always are (never shared memory).
const buffer = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

interface DerivedKey {
  aes: CryptoKey;
  check: Hex;
}

async function deriveKey(password: string, kdf: Blob['kdf']): Promise<DerivedKey> {
  const pw = utf8.encode(password.normalize('NFKD'));
  const dk = await scryptAsync(pw, hexToBytes(kdf.salt), {
    N: kdf.n,
    r: kdf.r,
    p: kdf.p,
    dkLen: 64,
    maxmem: 2 ** 31,
  });
  pw.fill(0);
  const aes = await crypto.subtle.importKey('raw', buffer(dk.slice(0, 32)), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  const check = bytesToHex(sha256(dk.subarray(32)));
  dk.fill(0);
  return { aes, check };
}

function headerBytes(blob: Pick<Blob, 'format' | 'version' | 'kdf'>): Uint8Array {
  // Authenticated with the ciphertext, so the KDF parameters cannot be swapped silently.
  const { n, r, p, salt } = blob.kdf;
  return utf8.encode(`${blob.format}/${blob.version}/scrypt/${n}/${r}/${p}/${salt}`);
}

function checkPassword(password: unknown, minLength: number): string {
  if (typeof password !== 'string' || password.length < minLength) {
    throw new WalletError(
      'weak_password',
      `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`,
    );
  }
  return password;
}

function checkName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0 || trimmed.length > 64 || /\p{Cc}/u.test(trimmed)) {
    throw new WalletError(
      'invalid_name',
      'Give the account a name of 1 to 64 printable characters.',
    );
  }
  return trimmed;
}

function lowerAddress(address: string): Address {
  return address.toLowerCase() as Address;
}

/**
 * An address a person typed or pasted: 0x and 40 hex digits; a mixed-case address must carry a valid
 * EIP-55 checksum (a typo in one is then caught). Returns it lowercase.
 */
export function parseAddress(input: string): Address {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    throw new WalletError(
      'invalid_address',
      'That is not an Ethereum address: it must be 0x followed by 40 hex digits.',
    );
  }
  const lower = text.toLowerCase();
  if (text !== lower && text !== '0x' + text.slice(2).toUpperCase()) {
    if (getAddress(lower) !== text) {
      throw new WalletError(
        'invalid_address',
        'The address has a wrong checksum (its capital letters do not match): check it for a typo.',
      );
    }
  }
  return lower as Address;
}

function parsePrivateKey(input: string): Uint8Array {
  const text = typeof input === 'string' ? input.trim() : '';
  const hex = /^0x/i.test(text) ? text.slice(2) : text;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new WalletError(
      'invalid_private_key',
      'A private key is 64 hex digits (32 bytes), with or without 0x.',
    );
  }
  const k = BigInt('0x' + hex);
  if (k === 0n || k >= SECP256K1_N) {
    throw new WalletError(
      'invalid_private_key',
      'That private key is outside the secp256k1 range; check it was copied whole.',
    );
  }
  return hexToBytes('0x' + hex.toLowerCase());
}

function addressOfKey(key: Uint8Array): Address {
  return lowerAddress(computeAddress(new SigningKey(bytesToHex(key))));
}

function parseMnemonic(phrase: string): Mnemonic {
  const words = typeof phrase === 'string' ? phrase.trim().toLowerCase().split(/\s+/) : [];
  if (words.length !== 12 && words.length !== 24) {
    throw new WalletError(
      'invalid_mnemonic',
      `A recovery phrase has 12 or 24 words; this one has ${words.length}.`,
    );
  }
  const normalized = words.join(' ');
  if (!Mnemonic.isValidMnemonic(normalized)) {
    throw new WalletError(
      'invalid_mnemonic',
      'That recovery phrase is not valid: a word is misspelt, out of order or missing.',
    );
  }
  return Mnemonic.fromPhrase(normalized);
}

function deriveFromPhrase(
  phrase: Uint8Array,
  index: number,
): { address: Address; key: Uint8Array } {
  const parent = HDNodeWallet.fromMnemonic(
    Mnemonic.fromPhrase(utf8Decoder.decode(phrase)),
    BIP44_ETH_PATH,
  );
  const child = parent.deriveChild(index);
  return { address: lowerAddress(child.address), key: hexToBytes(child.privateKey) };
}

function checkIndex(index: unknown): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > 0x7fffffff) {
    throw new WalletError(
      'invalid_argument',
      'An account index is a whole number from 0 to 2147483647.',
    );
  }
  return index;
}

/** A fresh BIP-39 recovery phrase (English) of 12 or 24 words from the platform's CSPRNG. */
export function generateMnemonic(wordCount: 12 | 24): string {
  if (wordCount !== 12 && wordCount !== 24) {
    throw new WalletError('invalid_argument', 'A recovery phrase has 12 or 24 words.');
  }
  return Mnemonic.fromEntropy(randomBytes(wordCount === 12 ? 16 : 32)).phrase;
}

// ---------------------------------------------------------------------------------------------
// Keystore (Ethereum JSON, "V3"): decrypted once at import, then held like a raw key.

/** Largest keystore file accepted, and the costliest KDF parameters (geth's "standard" is n = 2^18). */
const MAX_KEYSTORE_BYTES = 64_000;
const MAX_KEYSTORE_SCRYPT_N = 1 << 18;
const MAX_KEYSTORE_PBKDF2_C = 10_000_000;

function checkKeystoreCost(json: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new WalletError(
      'invalid_keystore',
      'That file is not JSON; choose an Ethereum keystore file.',
    );
  }
  const crypto_ = (parsed as { crypto?: unknown; Crypto?: unknown } | null) ?? {};
  const section = (crypto_.crypto ?? crypto_.Crypto) as
    { kdf?: unknown; kdfparams?: Record<string, unknown> } | undefined;
  const params = section?.kdfparams ?? {};
  const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);
  const tooCostly =
    section?.kdf === 'scrypt'
      ? !(num(params.n) <= MAX_KEYSTORE_SCRYPT_N && num(params.r) <= 16 && num(params.p) <= 4)
      : section?.kdf === 'pbkdf2'
        ? !(num(params.c) <= MAX_KEYSTORE_PBKDF2_C)
        : false;
  if (tooCostly) {
    throw new WalletError(
      'invalid_keystore',
      'This keystore asks for key-derivation work far beyond any real wallet’s; it is refused to keep the app responsive.',
    );
  }
}

async function decryptKeystore(json: string, password: string): Promise<Uint8Array> {
  if (typeof json !== 'string' || json.length > MAX_KEYSTORE_BYTES) {
    throw new WalletError('invalid_keystore', 'That is not an Ethereum keystore file (too large).');
  }
  checkKeystoreCost(json);
  if (!isKeystoreJson(json)) {
    throw new WalletError(
      'invalid_keystore',
      'That is not an Ethereum keystore file (version 3 JSON with a crypto section).',
    );
  }
  let account;
  try {
    account = await decryptKeystoreJson(json, typeof password === 'string' ? password : '');
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : '';
    if (/incorrect password/i.test(message)) {
      throw new WalletError(
        'wrong_password',
        'The keystore’s password is wrong; nothing was imported.',
      );
    }
    throw new WalletError(
      'invalid_keystore',
      'The keystore file is damaged or in an unknown format.',
      {
        cause,
      },
    );
  }
  const key = parsePrivateKey(account.privateKey);
  if (addressOfKey(key) !== lowerAddress(account.address)) {
    key.fill(0);
    throw new WalletError('invalid_keystore', 'The keystore’s address does not match its key.');
  }
  return key;
}

// ---------------------------------------------------------------------------------------------
// The vault

/** KDF parameters with a new random salt; N must be a power of two the blob format accepts. */
function freshKdf(n: number): Blob['kdf'] {
  const parsed = blobSchema.shape.kdf.safeParse({
    name: 'scrypt',
    n,
    r: 8,
    p: 1,
    salt: bytesToHex(randomBytes(32)),
  });
  if (!parsed.success) {
    throw new WalletError(
      'invalid_argument',
      `scrypt N must be a power of two from ${MIN_SCRYPT_N} to ${MAX_SCRYPT_N}.`,
    );
  }
  return parsed.data;
}

/** Creates an empty vault sealed with `password` (add mnemonics and accounts, then seal()). */
export async function createVault(
  password: string,
  options: VaultOptions = {},
): Promise<UnlockedVault> {
  checkPassword(password, MIN_PASSWORD_LENGTH);
  const kdf = freshKdf(options.scryptN ?? DEFAULT_SCRYPT_N);
  return new UnlockedVault(kdf, await deriveKey(password, kdf), {
    version: VERSION,
    mnemonics: [],
    accounts: [],
  });
}

function parseBlob(text: string): Blob {
  if (typeof text !== 'string' || text.length > MAX_BLOB_BYTES) {
    throw new WalletError('vault_corrupt', 'The saved vault is not a Vigil vault (wrong size).');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WalletError('vault_corrupt', 'The saved vault is damaged: it is not JSON.');
  }
  const parsed = blobSchema.safeParse(json);
  if (!parsed.success) {
    throw new WalletError(
      'vault_corrupt',
      'The saved vault is damaged or was not written by this version of Vigil.',
    );
  }
  return parsed.data;
}

/**
 * Opens a sealed vault. Throws `wrong_password` (nothing changes; try again) or `vault_corrupt`
 * (the blob is damaged or foreign; restore from the recovery phrase).
 */
export async function unlock(blobText: string, password: string): Promise<UnlockedVault> {
  const blob = parseBlob(blobText);
  const key = await deriveKey(typeof password === 'string' ? password : '', blob.kdf);
  if (key.check !== blob.check) {
    throw new WalletError('wrong_password', 'Wrong password: the vault stays locked.');
  }
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(
      await crypto.subtle.decrypt(
        {
          name: 'AES-GCM',
          iv: buffer(hexToBytes(blob.cipher.iv)),
          additionalData: buffer(headerBytes(blob)),
        },
        key.aes,
        buffer(hexToBytes(blob.ciphertext)),
      ),
    );
  } catch {
    throw new WalletError(
      'vault_corrupt',
      'The password is right but the saved vault is damaged; restore it from your recovery phrase.',
    );
  }
  let contents: Plaintext;
  try {
    contents = plaintextSchema.parse(JSON.parse(utf8Decoder.decode(plain)));
  } catch {
    throw new WalletError(
      'vault_corrupt',
      'The saved vault decrypts but its contents are not readable.',
    );
  } finally {
    plain.fill(0);
  }
  return new UnlockedVault(blob.kdf, key, contents);
}

export class UnlockedVault {
  #kdf: Blob['kdf'];
  #key: DerivedKey | null;
  #mnemonics: HeldMnemonic[];
  #accounts: HeldAccount[];

  /** Use createVault() or unlock(). */
  constructor(kdf: Blob['kdf'], key: DerivedKey, contents: Plaintext) {
    this.#kdf = kdf;
    this.#key = key;
    this.#mnemonics = contents.mnemonics.map((m) => ({ id: m.id, phrase: utf8.encode(m.phrase) }));
    this.#accounts = contents.accounts.map((a) => ({
      kind: a.kind,
      address: a.address as Address,
      name: a.name,
      mnemonicId: a.kind === 'mnemonic' ? a.mnemonicId : null,
      index: a.kind === 'mnemonic' ? a.index : null,
      key: a.kind === 'privateKey' || a.kind === 'keystore' ? hexToBytes(a.privateKey) : null,
    }));
  }

  get isLocked(): boolean {
    return this.#key === null;
  }

  #live(): DerivedKey {
    if (this.#key === null)
      throw new WalletError('vault_locked', 'The wallet is locked; unlock it first.');
    return this.#key;
  }

  /** Zeroes every secret this object holds and forgets the encryption key. Idempotent. */
  lock(): void {
    for (const m of this.#mnemonics) m.phrase.fill(0);
    for (const a of this.#accounts) a.key?.fill(0);
    this.#mnemonics = [];
    this.#accounts = [];
    this.#key = null;
  }

  /** The vault encrypted for storage (fresh IV each time): the only output that carries secrets. */
  async seal(): Promise<string> {
    const key = this.#live();
    const iv = randomBytes(12);
    const header = { format: FORMAT, version: VERSION, kdf: this.#kdf } as const;
    const plain = utf8.encode(JSON.stringify(this.#plaintext()));
    try {
      const ciphertext = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv: buffer(iv), additionalData: buffer(headerBytes(header)) },
          key.aes,
          buffer(plain),
        ),
      );
      const blob: Blob = {
        ...header,
        cipher: { name: 'aes-256-gcm', iv: bytesToHex(iv) },
        check: key.check,
        ciphertext: bytesToHex(ciphertext),
      };
      return JSON.stringify(blob);
    } finally {
      plain.fill(0);
    }
  }

  /**
   * Re-encrypts under a new password (new salt) and returns the new blob to save. `current` must be
   * the present password (`wrong_password` otherwise, and nothing changes).
   */
  async changePassword(current: string, next: string, options: VaultOptions = {}): Promise<string> {
    const key = this.#live();
    checkPassword(next, MIN_PASSWORD_LENGTH);
    const kdf = freshKdf(options.scryptN ?? this.#kdf.n);
    const again = await deriveKey(typeof current === 'string' ? current : '', this.#kdf);
    if (again.check !== key.check) {
      throw new WalletError(
        'wrong_password',
        'The current password is wrong; the password is unchanged.',
      );
    }
    const derived = await deriveKey(next, kdf);
    this.#live();
    this.#kdf = kdf;
    this.#key = derived;
    return this.seal();
  }

  #plaintext(): Plaintext {
    return {
      version: VERSION,
      mnemonics: this.#mnemonics.map((m) => ({ id: m.id, phrase: utf8Decoder.decode(m.phrase) })),
      accounts: this.#accounts.map((a) => {
        if (a.kind === 'mnemonic') {
          return {
            kind: a.kind,
            address: a.address,
            name: a.name,
            mnemonicId: a.mnemonicId!,
            index: a.index!,
          };
        }
        if (a.kind === 'watchOnly') return { kind: a.kind, address: a.address, name: a.name };
        return { kind: a.kind, address: a.address, name: a.name, privateKey: bytesToHex(a.key!) };
      }),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  accounts(): AccountView[] {
    this.#live();
    return this.#accounts.map(view);
  }

  account(address: string): AccountView {
    return view(this.#find(address));
  }

  mnemonics(): MnemonicView[] {
    this.#live();
    return this.#mnemonics.map((m) => ({
      id: m.id,
      wordCount: utf8Decoder.decode(m.phrase).split(' ').length,
      indexes: this.#accounts
        .filter((a) => a.mnemonicId === m.id)
        .map((a) => a.index!)
        .sort((x, y) => x - y),
    }));
  }

  #find(address: string): HeldAccount {
    this.#live();
    const lower = typeof address === 'string' ? address.toLowerCase() : '';
    const found = this.#accounts.find((a) => a.address === lower);
    if (!found)
      throw new WalletError(
        'account_not_found',
        `There is no account ${String(address)} in this wallet.`,
      );
    return found;
  }

  #refuseDuplicate(address: Address): void {
    const existing = this.#accounts.find((a) => a.address === address);
    if (existing) {
      throw new WalletError(
        'duplicate_import',
        `This wallet already has ${address} (as “${existing.name}”, ${describeKind(existing.kind)}); remove that account first to import it again.`,
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // Adding

  /**
   * Adds a recovery phrase and its account 0. With `{ generate: 12 | 24 }` a new phrase is made and
   * returned in `phrase` — the only time it is ever shown; confirm it (confirmationChallenge) before
   * sealing. With `{ phrase }` an existing one is imported (refused if already here).
   */
  addMnemonic(
    source: { generate: 12 | 24 } | { phrase: string },
    name: string,
  ): { mnemonicId: string; account: AccountView; phrase: string | null } {
    this.#live();
    const accountName = checkName(name);
    const generated = 'generate' in source ? generateMnemonic(source.generate) : null;
    const mnemonic = parseMnemonic(generated ?? ('phrase' in source ? source.phrase : ''));
    const phrase = utf8.encode(mnemonic.phrase);
    const first = deriveFromPhrase(phrase, 0);
    if (this.#mnemonics.some((m) => m.id === first.address)) {
      phrase.fill(0);
      first.key.fill(0);
      throw new WalletError('duplicate_import', 'This recovery phrase is already in the wallet.');
    }
    try {
      this.#refuseDuplicate(first.address);
    } catch (e) {
      phrase.fill(0);
      first.key.fill(0);
      throw e;
    }
    this.#mnemonics.push({ id: first.address, phrase });
    const account: HeldAccount = {
      kind: 'mnemonic',
      address: first.address,
      name: accountName,
      mnemonicId: first.address,
      index: 0,
      key: first.key,
    };
    this.#accounts.push(account);
    return { mnemonicId: first.address, account: view(account), phrase: generated };
  }

  /** Derives account m/44'/60'/0'/0/`index` of a mnemonic (the lowest unused index by default). */
  addAccount(mnemonicId: string, name: string, index?: number): AccountView {
    this.#live();
    const accountName = checkName(name);
    const mnemonic = this.#mnemonics.find((m) => m.id === mnemonicId);
    if (!mnemonic)
      throw new WalletError(
        'account_not_found',
        'There is no such recovery phrase in this wallet.',
      );
    const used = new Set(
      this.#accounts.filter((a) => a.mnemonicId === mnemonicId).map((a) => a.index),
    );
    let i = index === undefined ? 0 : checkIndex(index);
    if (index === undefined) while (used.has(i)) i++;
    const derived = deriveFromPhrase(mnemonic.phrase, i);
    try {
      this.#refuseDuplicate(derived.address);
    } catch (e) {
      derived.key.fill(0);
      throw e;
    }
    const account: HeldAccount = {
      kind: 'mnemonic',
      address: derived.address,
      name: accountName,
      mnemonicId,
      index: i,
      key: derived.key,
    };
    this.#accounts.push(account);
    return view(account);
  }

  importPrivateKey(privateKey: string, name: string): AccountView {
    this.#live();
    const accountName = checkName(name);
    return this.#addKey('privateKey', parsePrivateKey(privateKey), accountName);
  }

  /** Decrypts an Ethereum keystore JSON with its own password and holds the key like a raw import. */
  async importKeystore(json: string, password: string, name: string): Promise<AccountView> {
    this.#live();
    const accountName = checkName(name);
    const key = await decryptKeystore(json, password);
    this.#live();
    return this.#addKey('keystore', key, accountName);
  }

  #addKey(kind: 'privateKey' | 'keystore', key: Uint8Array, name: string): AccountView {
    const address = addressOfKey(key);
    try {
      this.#refuseDuplicate(address);
    } catch (e) {
      key.fill(0);
      throw e;
    }
    const account: HeldAccount = { kind, address, name, mnemonicId: null, index: null, key };
    this.#accounts.push(account);
    return view(account);
  }

  /** An address to follow without keys (balances and alerts, no signing). */
  addWatchOnly(address: string, name: string): AccountView {
    this.#live();
    const accountName = checkName(name);
    const lower = parseAddress(address);
    this.#refuseDuplicate(lower);
    const account: HeldAccount = {
      kind: 'watchOnly',
      address: lower,
      name: accountName,
      mnemonicId: null,
      index: null,
      key: null,
    };
    this.#accounts.push(account);
    return view(account);
  }

  // -------------------------------------------------------------------------------------------
  // Changing

  rename(address: string, name: string): AccountView {
    const account = this.#find(address);
    account.name = checkName(name);
    return view(account);
  }

  /** Removes an account. A mnemonic stays (its other accounts can be added again) until removeMnemonic. */
  remove(address: string): void {
    const account = this.#find(address);
    account.key?.fill(0);
    this.#accounts = this.#accounts.filter((a) => a !== account);
  }

  /** Removes a recovery phrase and every account derived from it. */
  removeMnemonic(mnemonicId: string): void {
    this.#live();
    const mnemonic = this.#mnemonics.find((m) => m.id === mnemonicId);
    if (!mnemonic)
      throw new WalletError(
        'account_not_found',
        'There is no such recovery phrase in this wallet.',
      );
    for (const a of this.#accounts) if (a.mnemonicId === mnemonicId) a.key?.fill(0);
    mnemonic.phrase.fill(0);
    this.#accounts = this.#accounts.filter((a) => a.mnemonicId !== mnemonicId);
    this.#mnemonics = this.#mnemonics.filter((m) => m !== mnemonic);
  }

  // -------------------------------------------------------------------------------------------
  // Signing

  /** A signer for `address`; `watch_only` for an address without a key. */
  signer(address: string): AccountSigner {
    const account = this.#find(address);
    if (account.kind === 'watchOnly') {
      throw new WalletError(
        'watch_only',
        `“${account.name}” is watch-only: this wallet has no key to sign for it.`,
      );
    }
    const keyHex = (): Hex => bytesToHex(this.#keyOf(account));
    return {
      address: account.address,
      signPayment: (tx, verifyingContract) =>
        signPayment(tx, tx.inputs.map(keyHex), verifyingContract),
      signDigest: (digest) => signDigest(keyHex(), digest),
    };
  }

  #keyOf(account: HeldAccount): Uint8Array {
    this.#live();
    if (!this.#accounts.includes(account)) {
      throw new WalletError('account_not_found', 'That account was removed from the wallet.');
    }
    if (account.key === null) {
      const mnemonic = this.#mnemonics.find((m) => m.id === account.mnemonicId);
      if (!mnemonic)
        throw new WalletError('account_not_found', 'That account’s recovery phrase was removed.');
      account.key = deriveFromPhrase(mnemonic.phrase, account.index!).key;
    }
    return account.key;
  }
}

function describeKind(kind: AccountKind): string {
  return {
    mnemonic: 'from a recovery phrase',
    privateKey: 'an imported private key',
    keystore: 'an imported keystore',
    watchOnly: 'watch-only',
  }[kind];
}

function view(a: HeldAccount): AccountView {
  return {
    address: a.address,
    checksumAddress: getAddress(a.address),
    name: a.name,
    kind: a.kind,
    canSign: a.kind !== 'watchOnly',
    mnemonicId: a.mnemonicId,
    index: a.index,
  };
}

// ---------------------------------------------------------------------------------------------
// Confirming a new recovery phrase

export interface ConfirmationChallenge {
  /** 0-based word positions to ask for, ascending (show them 1-based). */
  positions: number[];
}

/** Picks `count` distinct random word positions of a `wordCount`-word phrase to ask back. */
export function confirmationChallenge(
  wordCount: number,
  count = 3,
  random: (n: number) => number = randomIndex,
): ConfirmationChallenge {
  if (!Number.isInteger(count) || count < 1 || count > wordCount) {
    throw new WalletError('invalid_argument', `Ask for 1 to ${wordCount} words.`);
  }
  const pool = Array.from({ length: wordCount }, (_, i) => i);
  const positions: number[] = [];
  while (positions.length < count) positions.push(pool.splice(random(pool.length), 1)[0]!);
  return { positions: positions.sort((a, b) => a - b) };
}

/** Positions (0-based) whose answer does not match the phrase; empty when all are right. */
export function checkConfirmation(
  phrase: string,
  challenge: ConfirmationChallenge,
  answers: readonly string[],
): number[] {
  const words = phrase.trim().toLowerCase().split(/\s+/);
  return challenge.positions.filter((p, i) => (answers[i] ?? '').trim().toLowerCase() !== words[p]);
}

function randomIndex(n: number): number {
  // Rejection sampling keeps the choice uniform.
  const limit = Math.floor(0x1_0000_0000 / n) * n;
  for (;;) {
    const [x] = crypto.getRandomValues(new Uint32Array(1));
    if (x! < limit) return x! % n;
  }
}
