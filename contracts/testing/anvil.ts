// Starts a throw-away anvil node for tests, the bench and the devnet: 127.0.0.1 on a free port,
// with anvil's funded dev accounts. Every node started here is killed when the process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonRpcProvider, Wallet, type Provider, type TransactionRequest } from 'ethers';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const anvilBinary = join(
  repoRoot,
  'node_modules',
  '@foundry-rs',
  'anvil-linux-amd64',
  'bin',
  'anvil',
);

/** Anvil's default mnemonic accounts 0…9 (each funded with 10 000 ETH). */
export const ANVIL_DEV_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
] as const;

/**
 * A funded account whose transactions are sent with their gas estimate plus a quarter, as the app
 * sends its own (gasWithMargin in src/renderer/wallet/ethereum-tx.ts). An estimate runs in a block
 * that may be a second older than the one the transaction is mined in, and a contract that stores
 * `block.timestamp + constant` pays 2,800 gas less when that store leaves the slot unchanged
 * (EIP-2200): the bond-update tests, estimated in the second of the update before them and mined in
 * the next, ran out of gas about once in 40 runs under load with the exact estimate.
 */
export class FundedWallet extends Wallet {
  override async estimateGas(tx: TransactionRequest): Promise<bigint> {
    const gas = await super.estimateGas(tx);
    return gas + (gas + 3n) / 4n;
  }

  override connect(provider: Provider | null): FundedWallet {
    return new FundedWallet(this.signingKey, provider);
  }
}

export interface AnvilOptions {
  /** Extra command-line arguments, e.g. ['--hardfork', 'cancun']. */
  args?: string[];
  /** Milliseconds to wait for "Listening on". */
  startTimeoutMs?: number;
}

export interface Anvil {
  rpcUrl: string;
  port: number;
  /** Funded private keys (anvil's dev accounts). */
  keys: readonly string[];
  /** A provider configured the way ethers v6 must be against anvil (no caching, no batching). */
  provider: JsonRpcProvider;
  /** Wallets for `keys`, connected to `provider`. */
  wallets: FundedWallet[];
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** ethers v6 caches and batches by default, which gives "nonce too low" against anvil. */
export function anvilProvider(rpcUrl: string): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, undefined, { cacheTimeout: -1, batchMaxCount: 1 });
}

export async function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  if (!existsSync(anvilBinary)) throw new Error(`anvil not found at ${anvilBinary}`);
  installExitHook();

  const child = spawn(
    anvilBinary,
    ['--host', '127.0.0.1', '--port', '0', ...(options.args ?? [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);

  let banner = '';
  const port = await new Promise<number>((resolvePort, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`anvil did not start in time; output:\n${out}`));
    }, options.startTimeoutMs ?? 15_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /Listening on [^\s:]+:(\d+)/.exec(out);
      if (m?.[1]) {
        banner = out;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        // Keep draining so a full pipe never blocks anvil.
        child.stdout?.resume();
        resolvePort(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`anvil exited with code ${code}; output:\n${out}`));
    });
  });
  child.removeAllListeners('exit');
  child.once('exit', () => running.delete(child));

  // The funded keys as this anvil printed them (the default mnemonic unless args changed it).
  const printed = [...banner.matchAll(/^\((\d+)\) (0x[0-9a-fA-F]{64})$/gm)].map((m) => m[2]!);
  const keys: readonly string[] = printed.length > 0 ? printed : ANVIL_DEV_KEYS;
  const rpcUrl = `http://127.0.0.1:${port}`;
  const provider = anvilProvider(rpcUrl);
  const wallets = keys.map((k) => new FundedWallet(k, provider));

  return {
    rpcUrl,
    port,
    keys,
    provider,
    wallets,
    async stop() {
      provider.destroy();
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((res) => {
        child.once('exit', () => res());
        child.kill('SIGTERM');
      });
      running.delete(child);
    },
  };
}

/** Moves the chain clock forward by `seconds` and mines one block. */
export async function increaseTime(
  provider: JsonRpcProvider,
  seconds: bigint | number,
): Promise<void> {
  await provider.send('evm_increaseTime', [Number(seconds)]);
  await provider.send('evm_mine', []);
}

/** Sets the timestamp of the next mined block. */
export async function setNextTimestamp(
  provider: JsonRpcProvider,
  timestamp: bigint | number,
): Promise<void> {
  await provider.send('evm_setNextBlockTimestamp', [Number(timestamp)]);
}

export async function latestTimestamp(provider: JsonRpcProvider): Promise<bigint> {
  const block = await provider.getBlock('latest');
  if (!block) throw new Error('no latest block');
  return BigInt(block.timestamp);
}
