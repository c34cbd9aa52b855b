// The typed IPC contract between the renderer and the main process: one map of requests
// (name → params → result) and one map of events (name → payload). Main checks every request's
// params against the runtime schemas in ipc-schemas.ts; the preload exposes exactly this surface.
// This file has no runtime dependencies, so the sandboxed preload and the renderer stay small.
import type { ExitEventPayloads, ExitRequestMap } from './exits';
import type { WalletEventPayloads, WalletRequestMap } from './wallet';

/** The single Electron channel that carries every request; events use `vigil:event`. */
export const REQUEST_CHANNEL = 'vigil:request';
export const EVENT_CHANNEL = 'vigil:event';

/** Requests bigger than this (as JSON) are refused before any handler runs. */
export const MAX_REQUEST_BYTES = 1_000_000;

export interface AppVersion {
  app: string;
  electron: string | null;
  chrome: string | null;
  node: string;
}

export interface AppPlatform {
  os: string;
  arch: string;
}

export interface DataDirectory {
  path: string;
}

type NoParams = Record<string, never>;

/** Every request: its params and its result (the wallet's requests live in wallet.ts, exits' in exits.ts). */
export interface RequestMap extends WalletRequestMap, ExitRequestMap {
  'app.version': { params: NoParams; result: AppVersion };
  'app.platform': { params: NoParams; result: AppPlatform };
  'app.dataDirectory': { params: NoParams; result: DataDirectory };
}

export type RequestMethod = keyof RequestMap;
export type RequestParams<M extends RequestMethod> = RequestMap[M]['params'];
export type RequestResult<M extends RequestMethod> = RequestMap[M]['result'];

/** Events pushed from main to the renderer. */
export interface EventPayloads extends WalletEventPayloads, ExitEventPayloads {
  'app.ready': { at: number };
}
export type EventName = keyof EventPayloads;

/** Runtime lists of the names above; `satisfies` keeps them complete (see the test). */
export const requestMethods = [
  'app.version',
  'app.platform',
  'app.dataDirectory',
  'vault.load',
  'vault.save',
  'chain.snapshot',
  'chain.account',
  'chain.history',
  'chain.fees',
  'chain.submit',
  'eth.account',
  'eth.token',
  'eth.allowance',
  'eth.feeData',
  'eth.estimateGas',
  'eth.send',
  'deposit.progress',
  'network.list',
  'network.add',
  'network.select',
  'settings.get',
  'settings.set',
  'exit.list',
  'exit.data',
  'exit.challengeData',
  'exit.processCall',
  'exit.plan',
  'exit.outbox.add',
  'exit.outbox.list',
  'exit.outbox.markSent',
  'exit.bundle.export',
  'exit.bundle.import',
  'safeMode.get',
  'safeMode.acknowledge',
] as const satisfies readonly RequestMethod[];
export const eventNames = [
  'app.ready',
  'chain.snapshot',
  'chain.event',
  'exit.changed',
  'safeMode.changed',
  'notice',
  'notice.open',
] as const satisfies readonly EventName[];

/** Stable error codes a caller may branch on. Handlers add their own domain codes. */
export type IpcErrorCode =
  'unknown_method' | 'invalid_params' | 'payload_too_large' | 'forbidden_sender' | 'internal_error';

export interface IpcError {
  code: IpcErrorCode | (string & {});
  message: string;
}

/** What crosses the wire for every request: a value or a typed error, never a stack trace. */
export type IpcResponse<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The one object the preload puts on `window` (as `window.vigil`). */
export interface VigilBridge {
  request(method: string, params?: unknown): Promise<IpcResponse<unknown>>;
  /** Subscribe to an event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export const BRIDGE_KEY = 'vigil';
