// The app's real main-side services on a throw-away data directory with a fresh local devnet, for
// the chain tests and the browser-test harness (e2e/support/app.ts): the same startAppServices the
// Electron app runs, with the devnet in this process so a test can drive it (dev keys, cheats).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Devnet, DevnetOptions } from '../../../../devnet/network';
import { createNativeRecoverer } from '../../crypto/native-recoverer';
import { createHandlerTable, type AppFacts } from '../../ipc/app-handlers';
import type { HandlerTable } from '../../ipc/router';
import { inProcessDevnet } from '../devnet-in-process';
import type { SignatureRecoverer } from '../../../plasma/recover';
import {
  startAppServices,
  type AppServices,
  type AppServicesOptions,
  type DevnetLauncher,
} from '../services';

export interface TestApp {
  dataDir: string;
  services: AppServices;
  /** The full handler table (app facts + wallet), as the Electron shell registers it. */
  table: HandlerTable;
  devnet: Devnet;
  dispose(): Promise<void>;
}

export const testFacts = (dataDir: string): AppFacts => ({
  appVersion: '0.1.0',
  electronVersion: null,
  chromeVersion: null,
  nodeVersion: process.versions.node,
  platform: process.platform,
  arch: process.arch,
  dataDirectory: dataDir,
});

/** The devnet the test app runs, in this process: child blocks every 200 ms, Ethereum every 250 ms. */
export function testDevnetLauncher(
  recoverer: SignatureRecoverer,
  options: Partial<Omit<DevnetOptions, 'dataDir'>> = {},
): DevnetLauncher {
  return inProcessDevnet({ blockIntervalMs: 200, ethBlockMs: 250, recoverer, ...options });
}

/**
 * startAppServices on `dataDir` with the full handler table, as the Electron shell registers it
 * (also run by the browser tests' separate main process, e2e/support/main-host.ts).
 */
export async function startAppOn(
  dataDir: string,
  options: Omit<AppServicesOptions, 'dataDir'>,
): Promise<{ services: AppServices; table: HandlerTable }> {
  const services = await startAppServices({ dataDir, ...options });
  return { services, table: createHandlerTable(testFacts(dataDir), services.handlers) };
}

/** Starts everything and waits until the watcher has made its first round. */
export async function startTestApp(
  options: {
    devnet?: Partial<Omit<DevnetOptions, 'dataDir'>>;
    services?: Partial<AppServicesOptions>;
  } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-app-'));
  const recoverer = createNativeRecoverer();
  const { services, table } = await startAppOn(dataDir, {
    launchDevnet: testDevnetLauncher(recoverer, options.devnet),
    recoverer,
    ...options.services,
  });
  const devnet = services.devnet() as Devnet | undefined;
  if (!devnet || !services.network()) {
    await services.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(services.failure() ?? 'the test app did not start its devnet');
  }
  return {
    dataDir,
    services,
    table,
    devnet,
    dispose: async () => {
      await services.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
