// What the renderer knows about the app itself, loaded once through the IPC contract.
import { create } from 'zustand';
import type { AppPlatform, AppVersion, DataDirectory } from '../../shared/ipc';
import { request } from '../ipc/client';

export interface AppInfo {
  version: AppVersion;
  platform: AppPlatform;
  dataDirectory: DataDirectory;
}

type AppState =
  | { status: 'loading' }
  | { status: 'ready'; info: AppInfo }
  | { status: 'failed'; message: string };

interface AppStore {
  state: AppState;
  load(): Promise<void>;
}

export const useAppStore = create<AppStore>((set) => ({
  state: { status: 'loading' },
  async load() {
    set({ state: { status: 'loading' } });
    try {
      const [version, platform, dataDirectory] = await Promise.all([
        request('app.version'),
        request('app.platform'),
        request('app.dataDirectory'),
      ]);
      set({ state: { status: 'ready', info: { version, platform, dataDirectory } } });
    } catch (error) {
      set({
        state: {
          status: 'failed',
          message: error instanceof Error ? error.message : String(error),
        },
      });
    }
  },
}));
