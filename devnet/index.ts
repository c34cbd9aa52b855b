// `npm run devnet`: the local Plasma network in one command. Ctrl-C (or SIGTERM) stops everything;
// anvil's keeper also stops anvil if this process dies any other way.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { createNativeRecoverer } from '../src/main/crypto/native-recoverer';
import { ALL_CHEATS } from './operator/cheats';
import { startDevnet } from './network';

const HELP = `Usage: npm run devnet -- [options]

Starts anvil, deploys the Plasma contracts and a test token, funds anvil's dev accounts, starts the
child-chain operator, and writes a network profile (its path is printed).

Options:
  --fresh                   start over (otherwise the chain in --data-dir is resumed)
  --data-dir <dir>          where the chain lives (default .devnet)
  --port <n>                anvil's port (default: chosen by the system)
  --operator-port <n>       the operator's HTTP port (default: chosen by the system)
  --block-interval <ms>     how often the operator forms a block (default 1000)
  --min-exit-period <s>     minExitPeriod of the contracts (default 20, at least 2)
  --deposit-margin <n>      Ethereum confirmations before a deposit is spendable (default 2)
  --exit-margin <n>         confirmations before the operator reacts to an exit (default 2)
  --eth-block <ms>          mine an empty Ethereum block this often (default 1000; 0 = never)
  --fee-claims <none|elixir> put fee-claim transactions in blocks (default none, spec Q2)
  -h, --help                this text
`;

function int(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number, not "${value}".`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        fresh: { type: 'boolean' },
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        'operator-port': { type: 'string' },
        'block-interval': { type: 'string' },
        'min-exit-period': { type: 'string' },
        'deposit-margin': { type: 'string' },
        'exit-margin': { type: 'string' },
        'eth-block': { type: 'string' },
        'fee-claims': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (values['help']) {
    console.log(HELP);
    return;
  }
  const feeClaims = (values['fee-claims'] as string | undefined) ?? 'none';
  if (feeClaims !== 'none' && feeClaims !== 'elixir') {
    console.error('--fee-claims must be "none" or "elixir".');
    process.exit(2);
  }
  const dataDir = resolve((values['data-dir'] as string | undefined) ?? '.devnet');
  const started = Date.now();
  const devnet = await startDevnet({
    dataDir,
    fresh: values['fresh'] === true,
    anvilPort: int(values['port'] as string | undefined, 'port', 0),
    operatorPort: int(values['operator-port'] as string | undefined, 'operator-port', 0),
    blockIntervalMs: int(values['block-interval'] as string | undefined, 'block-interval', 1000),
    minExitPeriod: int(values['min-exit-period'] as string | undefined, 'min-exit-period', 20),
    depositFinalityMargin: int(values['deposit-margin'] as string | undefined, 'deposit-margin', 2),
    exitFinalityMargin: int(values['exit-margin'] as string | undefined, 'exit-margin', 2),
    ethBlockMs: int(values['eth-block'] as string | undefined, 'eth-block', 1000),
    feeClaims,
    recoverer: createNativeRecoverer(),
    log: (m) => console.log(`[devnet] ${m}`),
  });
  const { profile } = devnet;
  console.log(`
Vigil devnet is up (${((Date.now() - started) / 1000).toFixed(1)} s).
  Ethereum RPC     ${profile.rpcUrl}   (chain id ${profile.chainId})
  Child chain      ${profile.childChainUrl}
  PlasmaFramework  ${profile.contracts.plasmaFramework}
  Test token       ${profile.tokens[0]?.address ?? '-'} (${profile.tokens[0]?.symbol ?? '-'})
  minExitPeriod    ${profile.minExitPeriod} s
  Network profile  ${devnet.profilePath}
  anvil pid        ${devnet.anvil.anvilPid}   (stops with this process)

anvil's dev accounts hold ETH and 1,000,000 VTT each. In another terminal:
  npm run devnet:cli -- deposit --amount 1         deposit 1 ETH for dev account 1
  npm run devnet:cli -- pay --to 2 --amount 0.5    pay dev account 2 on the child chain
  npm run devnet:cli -- status                     blocks, balances and the operator's state
  npm run devnet:fill                              fill a block with 65,531 payments (benchmarks)
Cheats (npm run devnet:cli -- cheat <name>): ${Object.keys(ALL_CHEATS).join(', ')}.
Ctrl-C stops the network; \`npm run devnet\` again resumes it.`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the devnet…`);
    await devnet.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // tsx runs this file in a child of its launcher. If the launcher is SIGKILLed, nobody forwards a
  // signal and this process is re-parented: notice, and stop (anvil's keeper then stops anvil).
  const launcher = process.ppid;
  setInterval(() => {
    if (process.ppid !== launcher) void stop('the launching process is gone');
  }, 250).unref();
  process.on('disconnect', () => void stop('the launching process is gone'));
}

main().catch((e: unknown) => {
  console.error(`The devnet could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
