// Anvil for the devnet: on 127.0.0.1, optionally persistent (anvil's --state), and guarded so that
// it never outlives the process that started it, whatever way that process ends: a small shell
// keeper polls the parent's pid and stops anvil when the parent is gone (even after SIGKILL, which
// no exit handler can catch).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { anvilBinary } from '../contracts/testing/anvil';

export interface GuardedAnvilOptions {
  port?: number;
  /** anvil --state: loaded at start, written on exit and every `stateIntervalSeconds`. */
  stateFile?: string;
  stateIntervalSeconds?: number;
  chainId?: number;
  /** The pid whose death stops anvil (default: this process). */
  parentPid?: number;
}

export interface GuardedAnvil {
  rpcUrl: string;
  port: number;
  /** The anvil process's own pid (not the keeper's). */
  anvilPid: number;
  keeper: ChildProcess;
  stop(): Promise<void>;
}

// The keeper: starts anvil, forwards TERM/INT to it (so --state is written), and stops it when the
// parent disappears. `exec` is not used so that the keeper can outlive the parent's death.
const KEEPER = `
"$@" &
child=$!
echo "anvil-pid $child"
stop() { kill -TERM "$child" 2>/dev/null; wait "$child"; exit 0; }
trap stop TERM INT HUP
while kill -0 "$VIGIL_PARENT_PID" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 0.2; done
stop
`;

export async function startGuardedAnvil(options: GuardedAnvilOptions = {}): Promise<GuardedAnvil> {
  if (!existsSync(anvilBinary))
    throw new Error(`anvil is not installed at ${anvilBinary}; run npm install.`);
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(options.port ?? 0),
    '--chain-id',
    String(options.chainId ?? 31337),
  ];
  if (options.stateFile)
    args.push(
      '--state',
      options.stateFile,
      '--state-interval',
      String(options.stateIntervalSeconds ?? 2),
    );
  const keeper = spawn('sh', ['-c', KEEPER, 'vigil-anvil-keeper', anvilBinary, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VIGIL_PARENT_PID: String(options.parentPid ?? process.pid) },
  });

  const { port, anvilPid } = await new Promise<{ port: number; anvilPid: number }>(
    (resolve, reject) => {
      let out = '';
      let pid = 0;
      const timer = setTimeout(() => {
        keeper.kill('SIGTERM');
        reject(new Error(`anvil did not start within 20 s:\n${out}`));
      }, 20_000);
      const onData = (chunk: Buffer): void => {
        out += chunk.toString();
        const p = /anvil-pid (\d+)/.exec(out);
        if (p) pid = Number(p[1]);
        const m = /Listening on [^\s:]+:(\d+)/.exec(out);
        if (m && pid) {
          clearTimeout(timer);
          keeper.stdout?.off('data', onData);
          keeper.stdout?.resume();
          resolve({ port: Number(m[1]), anvilPid: pid });
        }
      };
      keeper.stdout?.on('data', onData);
      keeper.stderr?.on('data', (c: Buffer) => (out += c.toString()));
      keeper.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`anvil exited (code ${code}) before it listened:\n${out}`));
      });
    },
  );
  keeper.removeAllListeners('exit');

  return {
    rpcUrl: `http://127.0.0.1:${port}`,
    port,
    anvilPid,
    keeper,
    stop: () =>
      new Promise<void>((resolve) => {
        if (keeper.exitCode !== null || keeper.signalCode !== null) return resolve();
        keeper.once('exit', () => resolve());
        keeper.kill('SIGTERM');
      }),
  };
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
