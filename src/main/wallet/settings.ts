// The wallet's settings file (`settings.json`): idle lock time and notifications, written atomically
// like the vault. A damaged or missing file means the defaults; the damaged file is kept aside.
import { join } from 'node:path';
import { z } from 'zod';
import type { WalletSettings } from '../../shared/wallet';
import { WalletFileError, jsonProblem, moveAside, readWalletFile, writeFileAtomic } from './files';

export const DEFAULT_SETTINGS: WalletSettings = { idleLockMinutes: 5, notifications: true };

const settingsSchema = z
  .object({
    idleLockMinutes: z.number().int().min(0).max(1440),
    notifications: z.boolean(),
  })
  .strict();

function settingsProblem(text: string): string | undefined {
  const notJson = jsonProblem(text);
  if (notJson) return notJson;
  return settingsSchema.safeParse(JSON.parse(text)).success ? undefined : 'it is not settings';
}

export class SettingsFile {
  readonly path: string;

  constructor(
    dataDir: string,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.path = join(dataDir, 'settings.json');
  }

  get(): WalletSettings {
    try {
      const text = readWalletFile(this.path, 64 * 1024, settingsProblem);
      return text === null ? { ...DEFAULT_SETTINGS } : settingsSchema.parse(JSON.parse(text));
    } catch (error) {
      if (!(error instanceof WalletFileError)) throw error;
      this.log(`${error.message} Using the default settings.`);
      return { ...DEFAULT_SETTINGS };
    }
  }

  set(change: Partial<WalletSettings>): WalletSettings {
    const next = { ...this.get(), ...definedOnly(change) };
    try {
      readWalletFile(this.path, 64 * 1024, settingsProblem);
    } catch (error) {
      if (error instanceof WalletFileError && error.code === 'file_corrupt') moveAside(this.path);
    }
    writeFileAtomic(this.path, JSON.stringify(next, null, 2) + '\n', { backup: true });
    return next;
  }
}

function definedOnly(change: Partial<WalletSettings>): Partial<WalletSettings> {
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
}
