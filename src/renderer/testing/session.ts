// For component tests that need the wallet session: a fast KDF and a main that keeps the vault
// file in memory (the real vault code seals and opens it).
import { installFakeBridge, type FakeBridge, type FakeHandlers } from './fake-bridge';
import { SESSION_START, useSessionStore } from '../state/session-store';

export interface VaultMain extends FakeBridge {
  file: { blob: string | null };
}

/** Resets the session store (fast scrypt) and installs a main that stores the vault blob. */
export function freshSession(extra: FakeHandlers = {}): VaultMain {
  useSessionStore.setState({ ...SESSION_START, phase: 'new', options: { scryptN: 1 << 4 } });
  const file: { blob: string | null } = { blob: null };
  const bridge = installFakeBridge({
    'vault.load': () => ({ blob: file.blob }),
    'vault.save': ({ blob }) => {
      file.blob = blob;
      return { savedAt: 1 };
    },
    ...extra,
  });
  return Object.assign(bridge, { file });
}
