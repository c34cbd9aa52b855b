// Starts the local devnet as a child process (`devnet/index.ts` under the project's Node and tsx),
// for the Electron app: its main bundle stays free of the devnet, and the devnet's own keeper stops
// anvil however the app ends. Ready once the devnet prints its banner; stopped with SIGTERM.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readNetworkProfile } from '../network/profile';
import type { DevnetLauncher } from './services';

const READY = 'Vigil devnet is up';

export function childProcessDevnet(
  projectRoot: string,
  log: (message: string) => void = () => undefined,
  startTimeoutMs = 180_000,
): DevnetLauncher {
  return (dataDir) =>
    new Promise((resolve, reject) => {
      const child = spawn(
        join(projectRoot, 'node_modules/.bin/node'),
        ['--import', 'tsx', join(projectRoot, 'devnet/index.ts'), '--data-dir', dataDir],
        { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      let ready = false;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      const stop = async (): Promise<void> => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      };
      const timer = setTimeout(() => {
        void stop();
        reject(new Error(`the local devnet did not start within ${startTimeoutMs / 1000} s`));
      }, startTimeoutMs);
      const onData = (chunk: Buffer): void => {
        const text = chunk.toString();
        for (const line of text.split('\n')) if (line.trim()) log(`devnet: ${line.trim()}`);
        if (ready) return;
        output = (output + text).slice(-8000);
        if (!output.includes(READY)) return;
        ready = true;
        clearTimeout(timer);
        try {
          resolve({ profile: readNetworkProfile(join(dataDir, 'network.json')), stop });
        } catch (error) {
          void stop();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`the local devnet could not be started: ${error.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!ready)
          reject(
            new Error(
              `the local devnet stopped during start-up (exit ${code}): ${output.slice(-500)}`,
            ),
          );
      });
    });
}
