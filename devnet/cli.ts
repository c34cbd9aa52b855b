// `npm run devnet:cli -- <command>`: a newcomer's hands on the devnet. Deposits and pays with anvil's
// dev accounts (referred to by index, 0–9, or by address), shows what is on chain, flips cheats.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Wallet, formatEther, parseEther } from 'ethers';
import {
  ETH_TOKEN,
  createPaymentTx,
  encodeSigned,
  normalizeAddress,
  signPayment,
  type Address,
  type Hex,
  type Utxo,
} from '../src/plasma';
import {
  depositErc20Tx,
  depositEthTx,
  erc20ApproveTx,
  nextChildBlockCall,
  plasmaFrameworkInterface,
} from '../src/plasma/contracts';
import { stringifyJson } from '../src/main/api/json';
import { readNetworkProfile } from '../src/main/network/profile';
import { ANVIL_DEV_KEYS } from '../contracts/testing/anvil';
import { devnetProvider } from './operator/root-chain';
import { ChildChainError, callChildChain } from './client';
import { fillBlocks } from './fill';
import { startDevnet, type Devnet } from './network';
import { createNativeRecoverer } from '../src/main/crypto/native-recoverer';
import type { NetworkProfile } from '../src/shared/network-profile';

const HELP = `Usage: npm run devnet:cli -- <command> [options]

Commands:
  status                                   the chain's height and every dev account's balances
  deposit --amount <n> [--from i] [--token VTT]   deposit ETH (or the test token) from dev account i (default 1)
  pay --to <i|0x…> --amount <n> [--from i] [--token VTT]   pay on the child chain (fee in the same token)
  cheat <name>                             make the operator misbehave (see the list printed by npm run devnet)
  fill [--transactions n] [--blocks n] [--owners n] [--start]
                                           fill blocks with valid payments for benchmarks (default: one
                                           full block of 65,531); --start uses a fresh throw-away devnet

Options:
  --profile <file>   the network profile (default .devnet/network.json)
Amounts are in whole units (ETH or VTT, 18 decimals).`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function rpc(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<unknown> {
  try {
    return await callChildChain(url, method, params);
  } catch (e) {
    if (e instanceof ChildChainError) fail(e.message);
    throw e;
  }
}

function account(ref: string | undefined, fallback: number): Wallet {
  const value = ref ?? String(fallback);
  if (/^\d$/.test(value)) return new Wallet(ANVIL_DEV_KEYS[Number(value)]!);
  fail(`"${value}" is not a dev account index (0–9).`);
}

function recipient(ref: string | undefined): Address {
  if (!ref) fail('Say who to pay: --to <dev account index or 0x address>.');
  if (/^\d$/.test(ref)) return normalizeAddress(new Wallet(ANVIL_DEV_KEYS[Number(ref)]!).address);
  try {
    return normalizeAddress(ref);
  } catch {
    fail(`"${ref}" is neither a dev account index nor a valid address.`);
  }
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        profile: { type: 'string' },
        amount: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        token: { type: 'string' },
        transactions: { type: 'string' },
        blocks: { type: 'string' },
        owners: { type: 'string' },
        start: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message}\n\n${HELP}`);
  }
  const { values, positionals } = parsed;
  const [command, arg] = positionals;
  if (values['help'] || !command) return console.log(HELP);
  if (command === 'fill') return fill(values);
  const profile = readNetworkProfile(
    resolve((values['profile'] as string | undefined) ?? '.devnet/network.json'),
  );
  const provider = devnetProvider(profile.rpcUrl);
  const vtt = profile.tokens[0];
  const tokenOf = (name: string | undefined): Address => {
    if (!name || name.toUpperCase() === 'ETH') return ETH_TOKEN;
    if (vtt && name.toUpperCase() === vtt.symbol) return normalizeAddress(vtt.address);
    fail(`Unknown token "${name}"; use ETH or ${vtt?.symbol ?? 'the test token'}.`);
  };
  const amountOf = (): bigint => {
    const text = values['amount'] as string | undefined;
    if (!text) fail('Say how much: --amount <n>.');
    try {
      const wei = parseEther(text);
      if (wei <= 0n) throw new Error();
      return wei;
    } catch {
      fail(`"${text}" is not a positive amount.`);
    }
  };
  const symbol = (token: string) => (token === ETH_TOKEN ? 'ETH' : (vtt?.symbol ?? token));

  try {
    switch (command) {
      case 'status': {
        const next = plasmaFrameworkInterface.decodeFunctionResult(
          'nextChildBlock',
          await provider.call(nextChildBlockCall(profile.contracts.plasmaFramework)),
        )[0] as bigint;
        console.log(
          `Child blocks on Ethereum: ${next / 1000n - 1n} (next is ${next}); Ethereum height ${await provider.getBlockNumber()}.`,
        );
        for (let i = 0; i < ANVIL_DEV_KEYS.length; i++) {
          const address = normalizeAddress(new Wallet(ANVIL_DEV_KEYS[i]!).address);
          const utxos = (await rpc(profile.childChainUrl, 'devnet.utxos', { address })) as {
            currency: string;
            amount: bigint;
          }[];
          const sums = new Map<string, bigint>();
          for (const u of utxos)
            sums.set(u.currency, (sums.get(u.currency) ?? 0n) + BigInt(u.amount));
          const onChain =
            [...sums].map(([t, a]) => `${formatEther(a)} ${symbol(t)}`).join(', ') || 'nothing';
          console.log(
            `  dev ${i} ${address}: child chain ${onChain} in ${utxos.length} outputs; Ethereum ${formatEther(await provider.getBalance(address))} ETH`,
          );
        }
        return;
      }
      case 'deposit': {
        const from = account(values['from'] as string | undefined, 1).connect(provider);
        const token = tokenOf(values['token'] as string | undefined);
        const amount = amountOf();
        const owner = normalizeAddress(from.address);
        if (token !== ETH_TOKEN) {
          const approve = erc20ApproveTx(token, profile.contracts.erc20Vault, amount);
          await (await from.sendTransaction(approve)).wait();
        }
        const request =
          token === ETH_TOKEN
            ? depositEthTx(profile.contracts.ethVault, { owner, amount })
            : depositErc20Tx(profile.contracts.erc20Vault, { owner, token, amount });
        const receipt = await (
          await from.sendTransaction({
            to: request.to,
            data: request.data,
            value: request.value ?? 0n,
          })
        ).wait();
        console.log(
          `Deposited ${formatEther(amount)} ${symbol(token)} for ${owner} in Ethereum block ${receipt?.blockNumber}; spendable after ${profile.finality.deposits} more blocks.`,
        );
        return;
      }
      case 'pay': {
        const from = account(values['from'] as string | undefined, 1);
        const owner = normalizeAddress(from.address);
        const to = recipient(values['to'] as string | undefined);
        const token = tokenOf(values['token'] as string | undefined);
        const amount = amountOf();
        const fees = (await rpc(profile.childChainUrl, 'fees.all', {})) as Record<
          string,
          { currency: string; amount: bigint }[]
        >;
        const fee = fees['1']?.find((f) => f.currency === token);
        if (!fee) fail(`The operator takes no fees in ${symbol(token)}.`);
        const raw = (await rpc(profile.childChainUrl, 'devnet.utxos', { address: owner })) as {
          utxo_pos: bigint;
          owner: string;
          currency: string;
          amount: bigint;
        }[];
        const utxos: Utxo[] = raw.map((u) => ({
          utxoPos: BigInt(u.utxo_pos),
          owner: normalizeAddress(u.owner),
          token: normalizeAddress(u.currency),
          amount: BigInt(u.amount),
        }));
        const tx = createPaymentTx({
          from: owner,
          utxos,
          payments: [{ owner: to, token, amount }],
          fee: { token, amount: BigInt(fee.amount) },
        });
        const sigs = signPayment(
          tx,
          tx.inputs.map(() => from.privateKey as Hex),
          normalizeAddress(profile.contracts.plasmaFramework),
        );
        const signed = encodeSigned({ tx, sigs });
        const result = (await rpc(profile.childChainUrl, 'transaction.submit', {
          transaction: `0x${Buffer.from(signed).toString('hex')}`,
        })) as { blknum: bigint; txindex: number; txhash: string };
        console.log(
          `Paid ${formatEther(amount)} ${symbol(token)} to ${to}: transaction ${result.txhash}, block ${result.blknum}, index ${result.txindex}.`,
        );
        return;
      }
      case 'cheat': {
        if (!arg) fail('Name the cheat: npm run devnet:cli -- cheat <name>.');
        console.log(
          stringifyJson(await rpc(profile.childChainUrl, 'devnet.cheat', { name: arg }), 2),
        );
        return;
      }
      default:
        fail(`Unknown command "${command}".\n\n${HELP}`);
    }
  } finally {
    provider.destroy();
  }
}

function count(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    fail(`--${name} must be a whole number above 0, not "${value}".`);
  return n;
}

async function fill(values: Record<string, unknown>): Promise<void> {
  const options = {
    transactions: count(values['transactions'], 'transactions'),
    blocks: count(values['blocks'], 'blocks'),
    owners: count(values['owners'], 'owners'),
    log: (m: string) => console.log(`[fill] ${m}`),
  };
  let devnet: Devnet | undefined;
  let dataDir: string | undefined;
  let profile: NetworkProfile;
  if (values['start'] === true) {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-fill-'));
    devnet = await startDevnet({ dataDir, recoverer: createNativeRecoverer() });
    profile = devnet.profile;
    console.log(`[fill] started a throw-away devnet in ${dataDir}`);
  } else {
    profile = readNetworkProfile(
      resolve((values['profile'] as string | undefined) ?? '.devnet/network.json'),
    );
  }
  try {
    const report = await fillBlocks(profile, {
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    });
    for (const b of report.blocks)
      console.log(
        `block ${b.blknum}: ${b.transactions} payments (${b.inputs} inputs), root ${b.root}; signing ${(b.signMs / 1000).toFixed(1)} s, admission to root on chain ${(b.submitMs / 1000).toFixed(1)} s`,
      );
    console.log(
      `setup ${(report.setupMs / 1000).toFixed(1)} s (blocks ${report.setupBlocks.join(', ')}), total ${(report.totalMs / 1000).toFixed(1)} s`,
    );
  } finally {
    if (devnet) await devnet.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => fail(`devnet:cli: ${e instanceof Error ? e.message : String(e)}`));
