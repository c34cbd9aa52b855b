// Shared set-up for the chain tests: one anvil per test file, the full deployment of §8.3, typed
// handles and a few helpers to build txs, proofs and signatures with the protocol library.
import {
  Contract,
  Wallet,
  ZeroAddress,
  encodeRlp,
  toBeHex,
  zeroPadValue,
  type JsonRpcProvider,
  type InterfaceAbi,
} from 'ethers';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { ensureContractsBuilt, loadArtifact } from '../build';
import { attach, deployContract, deployPlasma, type PlasmaDeployment } from '../deploy';
import { startAnvil, latestTimestamp, type Anvil } from '../testing/anvil';
import { encodePayment, encodeDeposit } from '../../src/plasma/tx';
import { signPayment } from '../../src/plasma/eip712';
import { allProofs, depositProof } from '../../src/plasma/merkle';
import { exitQueueKey, senderData, standardExitId, outputId } from '../../src/plasma/ids';
import { bytesToHex } from '../../src/plasma/hex';
import { NULL_METADATA, type Address, type Hex, type PaymentTx } from '../../src/plasma/types';

export const MEP = 600n; // minExitPeriod of the test deployments
export const BOND = 14000000000000000n;
export const ETH = ZeroAddress as Address;

export interface Env {
  anvil: Anvil;
  provider: JsonRpcProvider;
  deployment: PlasmaDeployment;
  maintainer: Wallet;
  authority: Wallet;
  users: Wallet[]; // alice, bob, carol, dave, …
  framework: Contract; // connected to the maintainer
  ethVault: Contract;
  erc20Vault: Contract;
  exitGame: Contract;
  registry: Contract;
  token: Contract; // a TestERC20 with an exit queue
  harness: Contract;
  as(c: Contract, w: Wallet): Contract;
  snapshot(): Promise<string>;
  revert(id: string): Promise<void>;
}

export async function setupEnv(options: { ethQueue?: boolean } = {}): Promise<Env> {
  ensureContractsBuilt({ quiet: true });
  const anvil = await startAnvil();
  const provider = anvil.provider;
  const [maintainer, alice, bob, carol, dave, erin, frank, grace, heidi] = anvil.wallets;
  const authority = anvil.wallets[9]!;
  const deployment = await deployPlasma({
    provider,
    authority,
    maintainer: maintainer!,
    minExitPeriod: MEP,
    version: '1.0.5+test000',
    addEthExitQueue: options.ethQueue ?? true,
  });
  const a = deployment.addresses;
  const tokenDeploy = await deployContract('TestERC20', maintainer!, ['Test Token', 'TST']);
  const framework = attach('PlasmaFramework', a.plasmaFramework, maintainer!);
  await (await framework.getFunction('addExitQueue')(2n, tokenDeploy.address)).wait();
  const harness = await deployContract('LibHarness', maintainer!);
  return {
    anvil,
    provider,
    deployment,
    maintainer: maintainer!,
    authority,
    users: [alice!, bob!, carol!, dave!, erin!, frank!, grace!, heidi!],
    framework,
    ethVault: attach('EthVault', a.ethVault, maintainer!),
    erc20Vault: attach('Erc20Vault', a.erc20Vault, maintainer!),
    exitGame: attach('PaymentExitGame', a.paymentExitGame, maintainer!),
    registry: attach('SpendingConditionRegistry', a.spendingConditionRegistry, maintainer!),
    token: tokenDeploy.contract,
    harness: harness.contract,
    as: (c, w) => c.connect(w) as Contract,
    snapshot: () => provider.send('evm_snapshot', []) as Promise<string>,
    revert: async (id) => {
      await provider.send('evm_revert', [id]);
    },
  };
}

/**
 * One deployment per test file, each test starting from the same chain state (anvil snapshot and
 * revert). Call at the top of a file; the returned function gives the running Env inside tests.
 */
export function useFreshChainPerTest(options: { ethQueue?: boolean } = {}): () => Env {
  let env: Env | undefined;
  let snap: string | undefined;
  beforeAll(async () => {
    env = await setupEnv(options);
  });
  afterAll(async () => {
    await env?.anvil.stop();
  });
  beforeEach(async () => {
    if (snap) await env!.revert(snap);
    snap = await env!.snapshot();
  });
  return () => env!;
}

export function contractAt(
  name: string,
  address: string,
  runner: Wallet | JsonRpcProvider,
): Contract {
  return new Contract(address, loadArtifact(name).abi as InterfaceAbi, runner);
}

/** Sends a contract call and waits for its receipt. */
export async function mined(p: Promise<unknown>) {
  const tx = (await p) as { wait(): Promise<import('ethers').TransactionReceipt | null> };
  const receipt = await tx.wait();
  if (!receipt) throw new Error('no receipt');
  return receipt;
}

function revertReason(e: unknown): { reason: string | null; data: string | null; name?: string } {
  const err = e as {
    reason?: string | null;
    data?: string | null;
    revert?: { name: string; args: unknown[] } | null;
    info?: { error?: { data?: string } };
    message?: string;
  };
  return {
    reason: err.reason ?? null,
    data: err.data ?? err.info?.error?.data ?? null,
    name: err.revert?.name,
  };
}

/** Expects the call to revert with exactly this Error(string) reason. */
export async function expectRevert(p: Promise<unknown>, reason: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(revertReason(e).reason, String((e as Error).message).slice(0, 400)).toBe(reason);
    return;
  }
  throw new Error(`expected revert "${reason}", but the call succeeded`);
}

/** Expects a failure without a reason string (empty revert data or a Panic). */
export async function expectRevertWithoutReason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const r = revertReason(e);
    const noReason = r.reason === null || r.reason === 'require(false)' || r.data === '0x';
    expect(noReason || r.name === 'Panic', `unexpected reason ${r.reason}`).toBe(true);
    return r.name ?? 'no-reason';
  }
  throw new Error('expected a revert without reason, but the call succeeded');
}

// ------------------------------------------------------------------ protocol helpers

export const hex = (b: Uint8Array): Hex => bytesToHex(b);

export function payment(
  inputs: bigint[],
  outputs: [Wallet | string, string, bigint][],
  metadata: Hex = NULL_METADATA,
): PaymentTx {
  return {
    txType: 1n,
    inputs,
    outputs: outputs.map(([owner, token, amount]) => ({
      outputType: 1n,
      outputGuard: (typeof owner === 'string' ? owner : owner.address).toLowerCase() as Address,
      token: token.toLowerCase() as Address,
      amount,
    })),
    txData: 0n,
    metadata,
  };
}

export function encode(tx: PaymentTx): Hex {
  return hex(encodePayment(tx));
}

export function depositBytes(owner: string, token: string, amount: bigint): Hex {
  return hex(encodeDeposit(owner.toLowerCase() as Address, token.toLowerCase() as Address, amount));
}

export function sign(tx: PaymentTx, signers: Wallet[], framework: string): Hex[] {
  return signPayment(
    tx,
    signers.map((w) => w.privateKey as Hex),
    framework.toLowerCase() as Address,
  );
}

export const DEPOSIT_PROOF = (): Hex => hex(depositProof());

export function blockOf(txs: Hex[]): { root: Hex; proofs: Hex[] } {
  const { root, proofs } = allProofs(txs.map((t) => hexBytes(t)));
  return { root: hex(root), proofs: proofs.map(hex) };
}

export function hexBytes(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h.slice(2), 'hex'));
}

export function seExitId(txBytes: string, utxoPos: bigint, isDeposit: boolean): bigint {
  return standardExitId(hexBytes(txBytes), utxoPos, isDeposit);
}

export function outId(txBytes: string, utxoPos: bigint, isDeposit: boolean): Hex {
  return outputId(hexBytes(txBytes), utxoPos % 10_000n, isDeposit ? utxoPos : undefined, isDeposit);
}

export function senderDataOf(w: Wallet | string): Hex {
  return senderData(typeof w === 'string' ? w : w.address);
}

export function queueKey(vaultId: bigint, token: string): Hex {
  return exitQueueKey(vaultId, token);
}

/** Deposits ETH for `w` and returns its deposit block number and tx bytes. */
export async function depositEth(env: Env, w: Wallet, amount: bigint) {
  const txBytes = depositBytes(w.address, ETH, amount);
  const r = await mined(env.as(env.ethVault, w).getFunction('deposit')(txBytes, { value: amount }));
  const log = r.logs
    .map((l) => env.ethVault.interface.parseLog(l))
    .find((l) => l?.name === 'DepositCreated');
  const blknum = log!.args[1] as bigint;
  return { blknum, utxoPos: blknum * 1_000_000_000n, txBytes };
}

/** Submits a child block holding `txs`; returns its number and the proofs. */
export async function submitBlock(env: Env, txs: Hex[]) {
  const blknum = (await env.framework.getFunction('nextChildBlock')()) as bigint;
  const { root, proofs } = blockOf(txs);
  await mined(env.as(env.framework, env.authority).getFunction('submitBlock')(root));
  return { blknum, root, proofs };
}

export async function startExit(
  env: Env,
  w: Wallet,
  utxoPos: bigint,
  txBytes: string,
  proof: string,
  value = BOND,
) {
  return mined(
    env.as(env.exitGame, w).getFunction('startStandardExit')(
      { utxoPos, rlpOutputTx: txBytes, outputTxInclusionProof: proof },
      { value },
    ),
  );
}

export async function now(env: Env): Promise<bigint> {
  return latestTimestamp(env.provider);
}

export async function balance(env: Env, a: string): Promise<bigint> {
  return env.provider.getBalance(a);
}

/** Total fee paid by a receipt. */
export function feeOf(r: import('ethers').TransactionReceipt): bigint {
  return r.gasUsed * r.gasPrice;
}

/** Minimal big-endian bytes of a scalar as RLP wants them ('0x' for zero). Test-only raw encoding. */
export function scalar(n: bigint): string {
  return n === 0n ? '0x' : toBeHex(n);
}

/**
 * Raw tx bytes for malformed or non-payment cases the protocol library refuses to encode:
 * [txType, inputs, [[outputType, [guard, token, amount]]…], txData, metadata].
 */
export function rawTx(args: {
  txType?: bigint;
  inputs?: bigint[];
  outputs: { outputType?: bigint; guard: string; token: string; amount: bigint }[];
  txData?: bigint;
  metadata?: string;
}): Hex {
  return encodeRlp([
    scalar(args.txType ?? 1n),
    (args.inputs ?? []).map((i) => zeroPadValue(toBeHex(i), 32)),
    args.outputs.map((o) => [
      scalar(o.outputType ?? 1n),
      [o.guard.toLowerCase(), o.token.toLowerCase(), scalar(o.amount)],
    ]),
    scalar(args.txData ?? 0n),
    args.metadata ?? NULL_METADATA,
  ]) as Hex;
}
