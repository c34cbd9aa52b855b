// Looks for key material in recorded IPC messages (bridge.ts records them): the issue requires a
// test that fails if any message of a full run carries a private key, a mnemonic or the password.
import type { IpcMessage } from './bridge';

export interface Secrets {
  password?: string;
  mnemonic?: string;
  /** 32-byte private keys, 0x hex or bare. */
  privateKeys?: string[];
}

/** What to look for: each secret, and for a mnemonic every run of three consecutive words too. */
export function secretNeedles(secrets: Secrets): { what: string; needle: string }[] {
  const needles: { what: string; needle: string }[] = [];
  if (secrets.password)
    needles.push({ what: 'the password', needle: secrets.password.toLowerCase() });
  if (secrets.mnemonic) {
    const words = secrets.mnemonic.trim().toLowerCase().split(/\s+/);
    needles.push({ what: 'the mnemonic', needle: words.join(' ') });
    for (let i = 0; i + 3 <= words.length; i++)
      needles.push({
        what: `mnemonic words ${i + 1}–${i + 3}`,
        needle: words.slice(i, i + 3).join(' '),
      });
  }
  for (const [i, key] of (secrets.privateKeys ?? []).entries())
    needles.push({ what: `private key ${i}`, needle: key.toLowerCase().replace(/^0x/, '') });
  return needles;
}

/** Every (message, secret) pair where the message's JSON contains the secret; empty means clean. */
export function findSecrets(
  messages: readonly IpcMessage[],
  secrets: Secrets,
): { index: number; direction: string; what: string }[] {
  const needles = secretNeedles(secrets).filter((n) => n.needle.length >= 6);
  const found: { index: number; direction: string; what: string }[] = [];
  messages.forEach((m, index) => {
    const text = JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
      .toLowerCase()
      .replace(/\\[nrt]/g, ' ')
      .replace(/\s+/g, ' ');
    for (const n of needles)
      if (text.includes(n.needle)) found.push({ index, direction: m.direction, what: n.what });
  });
  return found;
}
