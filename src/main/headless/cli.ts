// `npm run watcher` (through launch.ts, which gives it its V8 heap flags): the personal watcher
// without the app, for an always-on machine. It follows a deployment given by a network profile (or
// starts the local devnet when given none), prints its sync progress and every event in plain
// words, and serves the elixir-omg Watcher API on 127.0.0.1.
// Ctrl-C (or SIGTERM) stops it cleanly: the round in progress finishes and the store is closed.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { NetworkProfile } from '../../shared/network-profile';
import { readNetworkProfile } from '../network/profile';
import { startWatcherApi } from '../watcher/api';
import { openWatcher } from '../watcher/open';
import type { Watcher } from '../watcher/watcher';
import { eventLine, progressLine, RateMeter, statusLine } from './progress';

const HELP = `Usage: npm run watcher -- [options]

Follows a Plasma deployment, validates every child block and raises alarms when anybody cheats.

Options:
  --network <profile.json>  the deployment to follow (default: start the local devnet and follow it)
  --data-dir <dir>          where the watcher keeps its database (default .vigil-watcher)
  --port <n>                port of the watcher API on 127.0.0.1 (default 7434; 0 = any free port)
  --poll <ms>               how often to poll Ethereum and the operator (default: 8000, devnet 300)
  --stalled-sync <s>        raise ethereum_stalled_sync after this long without a new Ethereum block
                            (default 20, devnet 60)
  -h, --help                this text
`;

interface Args {
  network: string | undefined;
  dataDir: string;
  port: number;
  poll: number | undefined;
  stalledSyncSeconds: number | undefined;
}

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

function parse(argv: string[]): Args | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        network: { type: 'string' },
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        poll: { type: 'string' },
        'stalled-sync': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    return fail(`${(e as Error).message}\n\n${HELP}`);
  }
  if (values['help']) {
    console.log(HELP);
    return undefined;
  }
  const whole = (name: string, fallback?: number): number | undefined => {
    const raw = values[name] as string | undefined;
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0) fail(`--${name} must be a whole number, not "${raw}".`);
    return n;
  };
  return {
    network: values['network'] as string | undefined,
    dataDir: resolve((values['data-dir'] as string | undefined) ?? '.vigil-watcher'),
    port: whole('port', 7434)!,
    poll: whole('poll'),
    stalledSyncSeconds: whole('stalled-sync'),
  };
}

/** Prints a rewritten status line on a terminal, or a line every 10 s into a log. */
function progressPrinter(watcher: Watcher): () => void {
  const meter = new RateMeter();
  const tty = process.stdout.isTTY === true;
  let lastPrinted = 0;
  let lastLine = '';
  const interval = watcher.deployment.childBlockInterval;
  const unsubscribe = watcher.subscribe({
    progress: (snap) => {
      meter.add(snap);
      const line = progressLine(snap, meter, interval);
      if (tty) {
        if (snap.at - lastPrinted < 1000 && line === lastLine) return;
        process.stdout.write(`\r\x1b[2K${line}`);
      } else if (
        snap.at - lastPrinted >= 10_000 ||
        line.split(' · ')[0] !== lastLine.split(' · ')[0]
      ) {
        console.log(`${new Date(snap.at).toISOString()} ${line}`);
      } else return;
      lastPrinted = snap.at;
      lastLine = line;
    },
    status: (status, previous) => log(statusLine(status, previous)),
    event: (event, isNew) => log(eventLine(event, isNew)),
  });
  function log(line: string): void {
    if (tty) process.stdout.write('\r\x1b[2K');
    console.log(`${new Date().toISOString()} ${line}`);
    lastLine = '';
  }
  return unsubscribe;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (!args) return;
  mkdirSync(args.dataDir, { recursive: true });

  let profile: NetworkProfile;
  let stopDevnet: (() => Promise<void>) | undefined;
  if (args.network) {
    try {
      profile = readNetworkProfile(resolve(args.network));
    } catch (e) {
      return fail((e as Error).message, 1);
    }
  } else {
    console.log('No --network given: starting the local devnet to follow.');
    const { startDevnet } = await import('../../../devnet/network');
    const devnet = await startDevnet({ dataDir: join(args.dataDir, 'devnet') });
    profile = devnet.profile;
    stopDevnet = () => devnet.stop();
    console.log(`Devnet running; its profile is ${devnet.profilePath}`);
  }

  let watcher: Watcher;
  try {
    watcher = await openWatcher({
      profile,
      dataDir: args.dataDir,
      config: {
        ...(args.poll !== undefined ? { pollIntervalMs: args.poll } : {}),
        ...(args.stalledSyncSeconds !== undefined
          ? { stalledSyncThresholdMs: args.stalledSyncSeconds * 1000 }
          : {}),
      },
    });
  } catch (e) {
    await stopDevnet?.();
    return fail(`Cannot start the watcher: ${(e as Error).message}`, 1);
  }
  const api = await startWatcherApi(watcher, args.port, '127.0.0.1', (method, error) =>
    console.error(`The API's ${method} failed:`, error),
  ).catch(async (e: Error) => {
    await watcher.stop();
    await stopDevnet?.();
    return fail(`Cannot serve the watcher API on 127.0.0.1:${args.port}: ${e.message}`, 1);
  });
  console.log(
    `Watching ${profile.name} (chain ${profile.chainId}, framework ${profile.contracts.plasmaFramework}).`,
  );
  console.log(`Watcher API: ${api.url}/status.get · data in ${args.dataDir} · Ctrl-C to stop.`);
  progressPrinter(watcher);
  watcher.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.error('\nStopping immediately.');
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping (finishing the current round)…`);
    await watcher.stop();
    await api.close();
    await stopDevnet?.();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`The watcher stopped on an unexpected error: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
