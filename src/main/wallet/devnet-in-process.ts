// Starts the local devnet inside this process (tests, the browser-test harness). The Electron app
// uses devnet-process.ts instead, so its bundle never contains the devnet, solc or anvil.
import type { DevnetOptions } from '../../../devnet/network';
import type { DevnetLauncher } from './services';

/** A launcher running devnet/network.ts startDevnet in `dataDir` with `options` on top. */
export function inProcessDevnet(
  options: Partial<Omit<DevnetOptions, 'dataDir'>> = {},
): DevnetLauncher {
  return async (dataDir) => {
    const { startDevnet } = await import('../../../devnet/network');
    const devnet = await startDevnet({ ...options, dataDir });
    return devnet;
  };
}
