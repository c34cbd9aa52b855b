// The networks the wallet can follow: the local devnet (started by the app itself) and profiles the
// user added, with the selected one, in `networks.json` (atomic like the vault). Profiles are
// checked with the same validator as every other profile file (src/main/network/profile.ts).
import { join } from 'node:path';
import { z } from 'zod';
import type { NetworkProfile } from '../../shared/network-profile';
import type { NetworkChoice } from '../../shared/wallet';
import { HandlerError } from '../ipc/router';
import { ProfileError, networkProfileSchema, parseNetworkProfile } from '../network/profile';
import { WalletFileError, jsonProblem, moveAside, readWalletFile, writeFileAtomic } from './files';

export const DEVNET_ID = 'devnet';
export const DEVNET_NAME = 'Local devnet';
const DEVNET_CHAIN_ID = 31337;
const MAX_PROFILES = 50;

const registrySchema = z
  .object({
    selected: z.string().max(100),
    profiles: z.record(z.string().max(100), networkProfileSchema),
  })
  .strict();

interface Registry {
  selected: string;
  profiles: Record<string, NetworkProfile>;
}

function registryProblem(text: string): string | undefined {
  return (
    jsonProblem(text) ??
    (registrySchema.safeParse(JSON.parse(text)).success ? undefined : 'it is not a network list')
  );
}

function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s === '' ? 'network' : s;
}

export class NetworkRegistry {
  readonly path: string;

  constructor(
    dataDir: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.path = join(dataDir, 'networks.json');
  }

  private read(): Registry {
    try {
      const text = readWalletFile(this.path, 4 * 1024 * 1024, registryProblem);
      if (text === null) return { selected: DEVNET_ID, profiles: {} };
      return registrySchema.parse(JSON.parse(text)) as Registry;
    } catch (error) {
      if (!(error instanceof WalletFileError)) throw error;
      this.log(`${error.message} Following the local devnet.`);
      return { selected: DEVNET_ID, profiles: {} };
    }
  }

  private write(registry: Registry): void {
    try {
      readWalletFile(this.path, 4 * 1024 * 1024, registryProblem);
    } catch (error) {
      if (error instanceof WalletFileError && error.code === 'file_corrupt') moveAside(this.path);
    }
    writeFileAtomic(this.path, JSON.stringify(registry, null, 2) + '\n', { backup: true });
  }

  /** The selected network's id (`devnet` unless the user chose a saved profile). */
  selectedId(): string {
    const r = this.read();
    return r.selected === DEVNET_ID || r.profiles[r.selected] ? r.selected : DEVNET_ID;
  }

  /** The saved profile of `id`; undefined for the devnet (its profile exists once it runs). */
  profile(id: string): NetworkProfile | undefined {
    return this.read().profiles[id];
  }

  list(): NetworkChoice[] {
    const r = this.read();
    const selected = this.selectedId();
    return [
      {
        id: DEVNET_ID,
        name: DEVNET_NAME,
        chainId: DEVNET_CHAIN_ID,
        selected: selected === DEVNET_ID,
      },
      ...Object.entries(r.profiles).map(([id, p]) => ({
        id,
        name: p.name,
        chainId: p.chainId,
        selected: selected === id,
      })),
    ];
  }

  /** Adds a profile from the JSON text of a profile file; the same profile again keeps its id. */
  add(text: string): NetworkChoice {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new HandlerError('profile_invalid', 'The network profile is not JSON.');
    }
    let profile: NetworkProfile;
    try {
      profile = parseNetworkProfile(json, 'The network profile');
    } catch (error) {
      if (error instanceof ProfileError) throw new HandlerError(error.code, error.message);
      throw error;
    }
    const r = this.read();
    const same = Object.entries(r.profiles).find(
      ([, p]) => JSON.stringify(p) === JSON.stringify(profile),
    );
    if (same) return this.choice(same[0], r);
    if (Object.keys(r.profiles).length >= MAX_PROFILES)
      throw new HandlerError(
        'too_many_profiles',
        `At most ${MAX_PROFILES} networks can be saved; remove one first.`,
      );
    const base = `${slug(profile.name)}-${profile.chainId}`;
    let id = base;
    for (let n = 2; id === DEVNET_ID || r.profiles[id]; n++) id = `${base}-${n}`;
    r.profiles[id] = profile;
    this.write(r);
    return this.choice(id, r);
  }

  /** Records the selection; the caller restarts the services on it. */
  select(id: string): NetworkChoice {
    const r = this.read();
    if (id !== DEVNET_ID && !r.profiles[id])
      throw new HandlerError('not_found', `There is no saved network "${id}".`);
    r.selected = id;
    this.write(r);
    return this.choice(id, r);
  }

  private choice(id: string, r: Registry): NetworkChoice {
    const found = this.list().find((c) => c.id === id);
    if (found) return found;
    const p = r.profiles[id]!;
    return { id, name: p.name, chainId: p.chainId, selected: false };
  }
}
