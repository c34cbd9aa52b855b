// The app's main side in a separate OS process (main-host.ts under tsx), for tests that kill it:
// a devnet that lives in the test process (so it survives), and main processes started on a data
// dir, each giving installBridge a handler table, events and dispatch like support/app.ts does.
//   const devnet = await startSharedDevnet();
//   const main = await startMainProcess({ dataDir, profile: devnet.profile, killAfter });
//   await installBridge(page, main.table, { events: main.events, dispatch: main.dispatch });
//   await main.ended;                       // { signal: 'SIGKILL' } once killAfter has struck
// The table's handlers forward each (already validated) request to the main process, whose router
// answers; its typed errors come back as HandlerError of this side's router, so the bridge gives
// the page the same code and message. A request to a main process that is gone fails with
// service_unavailable, as the window of a crashed app would see nothing more.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { Devnet } from '../../devnet/network';
import type * as TestingApp from '../../src/main/wallet/testing/app';
import type * as NativeRecoverer from '../../src/main/crypto/native-recoverer';
import { HandlerError, dispatch, type HandlerTable } from '../../src/main/ipc/router';
import type { AppEventListener, AppEvents } from '../../src/main/wallet/services';
import { requestMethods, type EventName, type EventPayloads } from '../../src/shared/ipc';
import type { NetworkProfile } from '../../src/shared/network-profile';
import type { HostMessage, KillAfter, ParentMessage } from './main-protocol';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOST = fileURLToPath(new URL('./main-host.ts', import.meta.url));

export interface SharedDevnet {
  devnet: Devnet;
  dispose(): Promise<void>;
}

/** The test app's devnet (testing/app.ts), started in this process on a throw-away directory. */
export async function startSharedDevnet(): Promise<SharedDevnet> {
  const { testDevnetLauncher } = (await tsImport(
    '../../src/main/wallet/testing/app.ts',
    import.meta.url,
  )) as typeof TestingApp;
  const { createNativeRecoverer } = (await tsImport(
    '../../src/main/crypto/native-recoverer.ts',
    import.meta.url,
  )) as typeof NativeRecoverer;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-devnet-'));
  try {
    const devnet = (await testDevnetLauncher(createNativeRecoverer())(dir)) as Devnet;
    return {
      devnet,
      dispose: async () => {
        await devnet.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface MainProcess {
  pid: number;
  table: HandlerTable;
  events: AppEvents;
  /** The router the table's errors belong to (pass it to installBridge). */
  dispatch: typeof dispatch;
  /** Settles when the process has ended, however. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops the services and the process (a no-op once it has ended). */
  stop(): Promise<void>;
}

/** Forks a main process on `dataDir` and resolves once its watcher follows the devnet. */
export async function startMainProcess(options: {
  dataDir: string;
  profile: NetworkProfile;
  killAfter?: KillAfter;
}): Promise<MainProcess> {
  const child = fork(HOST, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const post = (m: ParentMessage) => child.send(m);
  const listeners = new Set<AppEventListener>();
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let nextId = 1;
  let gone = false;
  let started: { resolve(): void; reject(e: Error): void } | undefined;

  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      gone = true;
      for (const p of pending.values())
        p.reject(new HandlerError('service_unavailable', 'Vigil’s main process has stopped.'));
      pending.clear();
      started?.reject(new Error(`the main process ended (${signal ?? code}) before it was ready`));
      resolve({ code, signal });
    }),
  );
  child.on('message', (m: HostMessage) => {
    if (m.type === 'ready') started?.resolve();
    else if (m.type === 'failed') started?.reject(new Error(m.message));
    else if (m.type === 'event') {
      for (const l of listeners) l(m.name as EventName, m.payload as EventPayloads[EventName]);
    } else if (m.type === 'response') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (!p) return;
      if (m.response.ok) p.resolve(m.response.value);
      else p.reject(new HandlerError(m.response.error.code, m.response.error.message));
    }
  });

  const forward = (method: string) => (params: unknown) =>
    new Promise((resolve, reject) => {
      if (gone)
        return reject(new HandlerError('service_unavailable', 'Vigil’s main process has stopped.'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      post({ type: 'request', id, method, params });
    });
  const table = Object.fromEntries(
    requestMethods.map((m) => [m, forward(m)]),
  ) as unknown as HandlerTable;

  const stop = async () => {
    if (gone) return;
    post({ type: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await ended;
    clearTimeout(timer);
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      started = { resolve, reject };
      post({ type: 'start', ...options });
      timer = setTimeout(
        () => reject(new Error('the main process did not start in 120 s')),
        120_000,
      );
    });
  } catch (error) {
    child.kill('SIGKILL');
    await ended;
    throw error;
  } finally {
    clearTimeout(timer);
    started = undefined;
  }
  return {
    pid: child.pid!,
    table,
    events: {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    dispatch,
    ended,
    stop,
  };
}
