// The messages between a test and its separate main process (main-host.ts, main-process.ts), sent
// over the fork's IPC channel with the structured-clone serialisation (bigints cross as they are).
import type { IpcResponse } from '../../src/shared/ipc';
import type { NetworkProfile } from '../../src/shared/network-profile';

/** Which request makes the main process kill itself, after its work and before its answer. */
export interface KillAfter {
  method: 'eth.send' | 'exit.outbox.markSent';
  /** The how-manieth such request (1 = the first). */
  count: number;
}

export type ParentMessage =
  | { type: 'start'; dataDir: string; profile: NetworkProfile; killAfter?: KillAfter }
  | { type: 'request'; id: number; method: string; params: unknown }
  | { type: 'stop' };

export type HostMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'response'; id: number; response: IpcResponse<unknown> }
  | { type: 'event'; name: string; payload: unknown };
