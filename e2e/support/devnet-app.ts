// What every real-devnet browser spec starts with: the built renderer served over http, the real
// main-side services on a fresh devnet, a provider on its anvil, and the protocol library's contract
// encoders (loaded through tsx: Playwright's loader cannot import their ABI JSON files).
import { JsonRpcProvider } from 'ethers';
import { existsSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import type * as Contracts from '../../src/plasma/contracts';
import { startRealServices, type RealServices } from './app';
import { serveDirectory, type StaticServer } from './static-server';

export interface DevnetApp {
  server: StaticServer;
  app: RealServices;
  provider: JsonRpcProvider;
  c: typeof Contracts;
}

export async function startDevnetApp(): Promise<DevnetApp> {
  if (!existsSync('out/renderer/index.html')) throw new Error('Build the app first: npm run build');
  const c = (await tsImport('../../src/plasma/contracts.ts', import.meta.url)) as typeof Contracts;
  const server = await serveDirectory('out/renderer');
  const app = await startRealServices();
  const provider = new JsonRpcProvider(app.devnet.profile.rpcUrl, undefined, {
    cacheTimeout: -1,
    batchMaxCount: 1,
  });
  return { server, app, provider, c };
}

/** Stops what startDevnetApp started; tolerates a start that failed half-way. */
export async function stopDevnetApp(d: Partial<DevnetApp>): Promise<void> {
  d.provider?.destroy();
  await d.server?.close();
  await d.app?.dispose();
}
