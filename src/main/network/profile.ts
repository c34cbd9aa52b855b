// Reading and writing network profiles (src/shared/network-profile.ts) with a clear error for a
// file that is missing, not JSON, or not a profile. Written atomically so a crash never leaves half
// a profile behind.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { address, hash } from '../../shared/ipc-schemas';
import type { NetworkProfile } from '../../shared/network-profile';

const url = z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL');

export const networkProfileSchema = z
  .object({
    version: z.literal(1),
    name: z.string().min(1).max(100),
    chainId: z.number().int().positive(),
    rpcUrl: url,
    childChainUrl: url,
    contracts: z
      .object({
        plasmaFramework: address,
        ethVault: address,
        erc20Vault: address,
        paymentExitGame: address,
      })
      .strict(),
    frameworkDeployTx: hash,
    frameworkDeployBlock: z.number().int().nonnegative(),
    authority: address,
    minExitPeriod: z.number().int().min(2),
    childBlockInterval: z.number().int().positive(),
    finality: z
      .object({ deposits: z.number().int().nonnegative(), exits: z.number().int().nonnegative() })
      .strict(),
    tokens: z
      .array(
        z
          .object({
            address,
            symbol: z.string().min(1).max(20),
            decimals: z.number().int().min(0).max(36),
          })
          .strict(),
      )
      .max(100),
  })
  .strict();

export class ProfileError extends Error {
  constructor(
    readonly code: 'profile_unreadable' | 'profile_invalid',
    message: string,
  ) {
    super(message);
    this.name = 'ProfileError';
  }
}

export function parseNetworkProfile(value: unknown, source = 'the profile'): NetworkProfile {
  const parsed = networkProfileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `"${issue.path.join('.')}"` : 'the top level';
    throw new ProfileError(
      'profile_invalid',
      `${source} is not a valid network profile: ${where} ${issue?.message ?? 'is wrong'}.`,
    );
  }
  return parsed.data as NetworkProfile;
}

export function readNetworkProfile(path: string): NetworkProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ProfileError(
      'profile_unreadable',
      `Cannot read the network profile ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProfileError('profile_invalid', `The network profile ${path} is not JSON.`);
  }
  return parseNetworkProfile(json, `The network profile ${path}`);
}

export function writeNetworkProfile(path: string, profile: NetworkProfile): void {
  const checked = parseNetworkProfile(profile);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(checked, null, 2) + '\n', { mode: 0o644 });
  renameSync(tmp, path);
}
