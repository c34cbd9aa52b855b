// Helpers for the devnet's chain tests (*.chain.test.ts): a throw-away devnet in a temp directory,
// signed payments, deposits buried under the finality margin, and served blocks read back and
// checked against the roots on chain.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import {
  BLOCK_OFFSET,
  ETH_TOKEN,
  bytesToHex,
  decodeSignedTransaction,
  encodeSigned,
  hexToBytes,
  merkleRoot,
  normalizeAddress,
  signPayment,
  type Address,
  type Hex,
} from '../src/plasma';
import {
  blocksCall,
  decodeBlockResult,
  depositEthTx,
  ethVaultInterface,
  nextChildBlockCall,
  plasmaFrameworkInterface,
} from '../src/plasma/contracts';
import { createNativeRecoverer } from '../src/main/crypto/native-recoverer';
import { callChildChain } from './client';
import { paymentTx } from './operator/cheats';
import { startDevnet, type Devnet, type DevnetOptions } from './network';

export const FEE = 1_000_000_000n;

export interface TestDevnet extends Devnet {
  dataDir: string;
  /** Stops the devnet and deletes its data directory. */
  dispose(): Promise<void>;
}

/** A devnet in a fresh temp directory with fast blocks and no background Ethereum mining. */
export async function startTestDevnet(options: Partial<DevnetOptions> = {}): Promise<TestDevnet> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-devnet-'));
  const devnet = await startDevnet({
    blockIntervalMs: 200,
    ethBlockMs: 0,
    recoverer: createNativeRecoverer(),
    ...options,
    dataDir,
  });
  return {
    ...devnet,
    dataDir,
    dispose: async () => {
      await devnet.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function call<T = unknown>(devnet: Devnet, method: string, params = {}): Promise<T> {
  return callChildChain<T>(devnet.profile.childChainUrl, method, params);
}

export async function mine(devnet: Devnet, blocks: number): Promise<void> {
  for (let i = 0; i < blocks; i++) await devnet.operator.link.provider.send('evm_mine', []);
}

/** Deposits ETH for `key` (an anvil dev key) and returns the deposit's position, not yet buried. */
export async function depositEth(devnet: Devnet, key: Hex, amount: bigint): Promise<bigint> {
  const wallet = new Wallet(key, devnet.operator.link.provider);
  const request = depositEthTx(devnet.profile.contracts.ethVault, {
    owner: normalizeAddress(wallet.address),
    amount,
  });
  const receipt = await (
    await wallet.sendTransaction({ to: request.to, data: request.data, value: request.value ?? 0n })
  ).wait();
  const log = receipt!.logs
    .map((l) => ethVaultInterface.parseLog(l))
    .find((l) => l?.name === 'DepositCreated');
  return (log!.args[1] as bigint) * BLOCK_OFFSET;
}

/** Deposits, buries the deposit under the margin and waits until the operator lets it be spent. */
export async function fundedOutput(devnet: Devnet, key: Hex, amount: bigint): Promise<bigint> {
  const utxoPos = await depositEth(devnet, key, amount);
  await mine(devnet, devnet.profile.finality.deposits + 1);
  await waitFor(`deposit ${utxoPos}`, () => devnet.operator.chain.utxo(utxoPos) !== undefined);
  return utxoPos;
}

export const addressOf = (key: Hex): Address => normalizeAddress(new Wallet(key).address);

/** A signed ETH payment: `outputs` as [owner, amount]; `keys[i]` signs input i. */
export function payment(
  devnet: Devnet,
  inputs: bigint[],
  outputs: [Address, bigint][],
  keys: Hex[],
): Uint8Array {
  const tx = paymentTx(
    inputs,
    outputs.map(([owner, amount]) => [owner, ETH_TOKEN, amount] as const),
  );
  const framework = normalizeAddress(devnet.profile.contracts.plasmaFramework);
  return encodeSigned({ tx, sigs: signPayment(tx, keys, framework) });
}

export async function submit(
  devnet: Devnet,
  signed: Uint8Array,
): Promise<{ blknum: bigint; txindex: number; txhash: Hex }> {
  const r = await call<{ blknum: bigint | number; txindex: number; txhash: Hex }>(
    devnet,
    'transaction.submit',
    { transaction: bytesToHex(signed) },
  );
  return { ...r, blknum: BigInt(r.blknum) };
}

export async function nextChildBlock(devnet: Devnet): Promise<bigint> {
  const [next] = plasmaFrameworkInterface.decodeFunctionResult(
    'nextChildBlock',
    await devnet.operator.link.provider.call(
      nextChildBlockCall(devnet.profile.contracts.plasmaFramework),
    ),
  );
  return next as bigint;
}

/** The root PlasmaFramework.blocks(blknum) holds, once the block is submitted. */
export async function rootOnChain(devnet: Devnet, blknum: bigint): Promise<Hex> {
  await waitFor(`block ${blknum} on chain`, async () => (await nextChildBlock(devnet)) > blknum);
  return decodeBlockResult(
    await devnet.operator.link.provider.call(
      blocksCall(devnet.profile.contracts.plasmaFramework, blknum),
    ),
  ).root;
}

export interface ServedBlock {
  blknum: bigint;
  hash: Hex;
  transactions: Hex[];
}

export async function getBlock(devnet: Devnet, hash: Hex): Promise<ServedBlock> {
  const b = await call<{ blknum: bigint | number; hash: Hex; transactions: Hex[] }>(
    devnet,
    'block.get',
    { hash },
  );
  return { ...b, blknum: BigInt(b.blknum) };
}

/** The Merkle root over the unsigned bytes of served transactions (what a watcher computes). */
export function servedRoot(transactions: readonly Hex[]): Hex {
  return bytesToHex(
    merkleRoot(transactions.map((t) => decodeSignedTransaction(hexToBytes(t)).txBytes)),
  );
}
