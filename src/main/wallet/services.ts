// The app's services without Electron: the network the user selected (the local devnet by default,
// started here in <dataDir>/devnet), its watcher and operator client, the wallet's Ethereum side,
// the wallet files, the handler group for the IPC router, and the events main pushes to the window.
// src/main/index.ts runs this inside Electron; the browser tests run it in the Playwright process.
import { join } from 'node:path';
import type { SignatureRecoverer } from '../../plasma/recover';
import type { Address } from '../../plasma/types';
import { requestMethods, type EventName, type EventPayloads } from '../../shared/ipc';
import type { NetworkProfile } from '../../shared/network-profile';
import type { NoticeView } from '../../shared/exits';
import type { WalletSettings } from '../../shared/wallet';
import type { WalletHandlers } from '../ipc/app-handlers';
import { HandlerError } from '../ipc/router';
import { WATCHER_VERSION } from '../watcher/api';
import { ChildChainClient } from '../watcher/child-chain-client';
import { watcherConfigFor } from '../watcher/config';
import { openWatcher } from '../watcher/open';
import type { WatcherConfig } from '../watcher/types';
import type { Watcher } from '../watcher/watcher';
import { ImportedBundles } from './bundle';
import { WalletEthereum, walletProvider } from './ethereum';
import { ExitServices } from './exits';
import { chainSnapshot, eventView } from './gate';
import { walletHandlers } from './handlers';
import { DEVNET_ID, NetworkRegistry } from './networks';
import { noticeForAlarm, noticeForEvent, type Notifier } from './notifier';
import { ExitOutbox } from './outbox';
import { SafeMode } from './safe-mode';
import { SettingsFile } from './settings';
import { VaultFile } from './vault';

/** A devnet the app started: its profile, and how to stop it. */
export interface LaunchedDevnet {
  profile: NetworkProfile;
  stop(): Promise<void>;
}
export type DevnetLauncher = (dataDir: string) => Promise<LaunchedDevnet>;

/** Everything that runs for the selected network. */
export interface NetworkServices {
  id: string;
  profile: NetworkProfile;
  watcher: Watcher;
  client: ChildChainClient;
  ethereum: WalletEthereum;
  exits: ExitServices;
  outbox: ExitOutbox;
  safeMode: SafeMode;
  bundles: ImportedBundles;
}

export type AppEventListener = <E extends EventName>(name: E, payload: EventPayloads[E]) => void;

export interface AppEvents {
  subscribe(listener: AppEventListener): () => void;
}

export interface AppServicesOptions {
  dataDir: string;
  /** Starts the local devnet (in-process for tests, a child process in the Electron app). */
  launchDevnet: DevnetLauncher;
  log?: (message: string) => void;
  watcherConfig?: Partial<WatcherConfig>;
  recoverer?: SignatureRecoverer;
  /** At most one chain.snapshot event per this many ms (default 250: ≤ 4/s). */
  snapshotIntervalMs?: number;
  now?: () => number;
  /** Told about every new byzantine event (the shell shows system notifications). */
  notifier?: Notifier;
}

export interface AppServices {
  handlers: WalletHandlers;
  events: AppEvents;
  /** The running network, or undefined while it starts or after it failed (see `failure`). */
  network(): NetworkServices | undefined;
  /** The local devnet when it is the selected network and running. */
  devnet(): LaunchedDevnet | undefined;
  failure(): string | undefined;
  settings(): WalletSettings;
  /** Resolves once the current network start has finished (successfully or not). */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAppServices(options: AppServicesOptions): Promise<AppServices> {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? Date.now;
  const throttleMs = options.snapshotIntervalMs ?? 250;
  const vault = new VaultFile(options.dataDir, now, log);
  const settings = new SettingsFile(options.dataDir, log);
  const networks = new NetworkRegistry(options.dataDir, log);
  const listeners = new Set<AppEventListener>();
  const emit: AppEventListener = (name, payload) => {
    for (const l of listeners) {
      try {
        l(name, payload);
      } catch (error) {
        log(`an event listener failed: ${String(error)}`);
      }
    }
  };

  let current: NetworkServices | undefined;
  let devnet: LaunchedDevnet | undefined;
  let failure: string | undefined;
  let starting: Promise<void> = Promise.resolve();
  let stopped = false;
  let unsubscribe: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPush = 0;

  const pushSnapshot = (): void => {
    timer = undefined;
    if (!current) return;
    lastPush = now();
    emit('chain.snapshot', chainSnapshot(current.watcher.snapshot(), current.profile));
  };
  const scheduleSnapshot = (): void => {
    if (timer) return;
    const wait = Math.max(0, lastPush + throttleMs - now());
    timer = setTimeout(pushSnapshot, wait);
  };

  async function stopNetwork(keepDevnet: boolean): Promise<void> {
    unsubscribe?.();
    unsubscribe = undefined;
    if (timer) clearTimeout(timer);
    timer = undefined;
    const running = current;
    current = undefined;
    if (running) {
      await running.watcher.stop();
      running.ethereum.provider.destroy();
    }
    if (!keepDevnet && devnet) {
      const d = devnet;
      devnet = undefined;
      await d.stop();
    }
  }

  async function startNetwork(id: string): Promise<void> {
    failure = undefined;
    try {
      let profile: NetworkProfile;
      if (id === DEVNET_ID) {
        devnet ??= await options.launchDevnet(join(options.dataDir, 'devnet'));
        profile = devnet.profile;
      } else {
        const saved = networks.profile(id);
        if (!saved) throw new Error(`the saved network ${id} is gone`);
        profile = saved;
      }
      const config = watcherConfigFor(profile, options.watcherConfig);
      const watcher = await openWatcher({
        profile,
        dataDir: join(options.dataDir, 'watcher'),
        config: options.watcherConfig ?? {},
        log,
        ...(options.recoverer ? { recoverer: options.recoverer } : {}),
      });
      if (stopped) {
        await watcher.stop();
        return;
      }
      const client = new ChildChainClient({
        url: profile.childChainUrl,
        timeoutMs: config.requestTimeoutMs,
        maxResponseBytes: 1024 * 1024,
        version: WATCHER_VERSION,
      });
      const provider = walletProvider(profile.rpcUrl, profile.chainId);
      const safeMode = new SafeMode(options.dataDir, id, now);
      const bundles = new ImportedBundles(options.dataDir, id);
      current = {
        id,
        profile,
        watcher,
        client,
        ethereum: new WalletEthereum(provider, profile, watcher.store, () => safeMode.refusal()),
        exits: new ExitServices(watcher, provider, profile, bundles),
        outbox: new ExitOutbox(options.dataDir, id, () => Math.floor(now() / 1000)),
        safeMode,
        bundles,
      };
      const exits = current.exits;
      const alarmsAnnounced = new Set<string>();
      let exitsBusy = false;
      const notify = (notice: NoticeView): void => {
        emit('notice', notice);
        try {
          options.notifier?.notify(notice);
        } catch (error) {
          log(`a notification failed: ${String(error)}`);
        }
      };
      unsubscribe = watcher.subscribe({
        progress: (snapshot) => {
          try {
            const switched = safeMode.observe(snapshot.events);
            if (switched) emit('safeMode.changed', switched);
          } catch (error) {
            log(`safe mode could not be saved: ${String(error)}`);
          }
          for (const alarm of snapshot.alarms) {
            if (alarm === 'boot_in_progress' || alarmsAnnounced.has(alarm)) continue;
            alarmsAnnounced.add(alarm);
            notify(noticeForAlarm(alarm, snapshot.status.reason));
          }
          for (const alarm of alarmsAnnounced)
            if (!snapshot.alarms.includes(alarm as never)) alarmsAnnounced.delete(alarm);
          if (!exitsBusy) {
            exitsBusy = true;
            void exits
              .changes()
              .then((changed) => changed.forEach((exit) => emit('exit.changed', { exit })))
              .catch((error: unknown) => log(`exit changes could not be read: ${String(error)}`))
              .finally(() => (exitsBusy = false));
          }
          scheduleSnapshot();
        },
        event: (event, isNew) => {
          emit('chain.event', { event: eventView(event), isNew });
          if (isNew) notify(noticeForEvent(event));
        },
      });
      watcher.start();
      log(`following ${profile.name} (chain ${profile.chainId})`);
    } catch (error) {
      failure = `Vigil could not start the network: ${error instanceof Error ? error.message : String(error)}`;
      log(failure);
    }
  }

  const requireNetwork = (): NetworkServices => {
    if (current) return current;
    throw new HandlerError(
      'service_unavailable',
      failure ?? 'Vigil is still starting the network; try again in a moment.',
    );
  };

  const handlers = walletHandlers({
    vault,
    settings,
    networks,
    network: requireNetwork,
    select: async (id) => {
      const choice = networks.select(id);
      // Switches run one after the other (startNetwork never rejects), never side by side.
      const run = starting.then(async () => {
        await stopNetwork(id === DEVNET_ID);
        if (!stopped) await startNetwork(id);
      });
      starting = run;
      await run;
      if (!current)
        throw new HandlerError('service_unavailable', failure ?? 'The network did not start.');
      return choice;
    },
    tokenInfo: (token: Address) => requireNetwork().ethereum.token(token),
  });

  starting = startNetwork(networks.selectedId());
  await starting;

  return {
    handlers,
    events: {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    network: () => current,
    devnet: () => devnet,
    failure: () => failure,
    settings: () => settings.get(),
    ready: () => starting,
    stop: async () => {
      stopped = true;
      await starting;
      await stopNetwork(false);
      listeners.clear();
    },
  };
}

/**
 * The wallet's handler group over services that are still starting: each request waits for them,
 * so the window can open (and the router answer the app requests) before the devnet is up.
 */
export function deferredWalletHandlers(services: Promise<AppServices>): WalletHandlers {
  const wallet = services.then((s) => s.handlers);
  const methods = requestMethods.filter((m) => !m.startsWith('app.')) as (keyof WalletHandlers)[];
  return Object.fromEntries(
    methods.map((m) => [
      m,
      async (params: unknown) => ((await wallet)[m] as (p: unknown) => unknown)(params),
    ]),
  ) as unknown as WalletHandlers;
}
