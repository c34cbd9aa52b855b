// The wallet core against a real devnet: Ethereum transactions the renderer builds and signs (ETH
// deposit; ERC20 reset-then-approve and deposit) are mined by anvil and accepted by the vaults, and
// payments and a merge it selects and signs are accepted by the operator, fees and all. Main's part
// (eth.feeData, eth.account nonce, eth.estimateGas, eth.send, chain.submit) is played by the provider
// and the operator's API directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addressOf,
  call,
  FEE,
  mine,
  startTestDevnet,
  waitFor,
  type TestDevnet,
} from '../../../devnet/testing';
import { BLOCK_OFFSET } from '../../plasma/position';
import { erc20Interface, erc20VaultInterface, ethVaultInterface } from '../../plasma/contracts';
import { ETH_TOKEN, type Address, type Hex, type Utxo } from '../../plasma/types';
import type { TxRequest } from '../../plasma/contracts';
import { selectCoins } from './coin-selection';
import { gasWithMargin, planDeposit, signEthereumTx } from './ethereum-tx';
import { signTransaction } from './signing';
import { createVault, type AccountSigner } from './vault';

let devnet: TestDevnet;
let signer: AccountSigner;
let me: Address;
const BOB = '0x000000000000000000000000000000000000b0b0' as Address;

beforeAll(async () => {
  devnet = await startTestDevnet();
  const vault = await createVault('chain test password', { scryptN: 1 << 4 });
  me = vault.importPrivateKey(devnet.devKeys[3]!, 'Dev 3').address;
  expect(me).toBe(addressOf(devnet.devKeys[3]!));
  signer = vault.signer(me);
});
afterAll(async () => devnet?.dispose());

/** What main does for eth.send, with the fee data, nonce and gas estimate it gives the renderer. */
async function sendSigned(request: TxRequest) {
  const provider = devnet.operator.link.provider;
  const [feeData, nonce, network, gas] = await Promise.all([
    provider.getFeeData(),
    provider.getTransactionCount(me, 'pending'),
    provider.getNetwork(),
    provider.estimateGas({
      from: me,
      to: request.to,
      data: request.data,
      value: request.value ?? 0n,
    }),
  ]);
  const signed = signEthereumTx(signer, request, {
    fee: {
      chainId: Number(network.chainId),
      maxFeePerGas: feeData.maxFeePerGas!.toString(),
      maxPriorityFeePerGas: feeData.maxPriorityFeePerGas!.toString(),
    },
    nonce,
    gasLimit: gasWithMargin(gas),
  });
  const sent = await provider.broadcastTransaction(signed.raw);
  expect(sent.hash.toLowerCase()).toBe(signed.hash);
  const receipt = await sent.wait();
  expect(receipt!.status).toBe(1);
  expect(receipt!.from.toLowerCase()).toBe(me);
  return receipt!;
}

async function allowance(token: string): Promise<bigint> {
  const [value] = erc20Interface.decodeFunctionResult(
    'allowance',
    await devnet.operator.link.provider.call({
      to: token,
      data: erc20Interface.encodeFunctionData('allowance', [
        me,
        devnet.profile.contracts.erc20Vault,
      ]),
    }),
  );
  return value as bigint;
}

/** Runs a deposit plan step by step as the Deposit screen does; returns the deposit's utxoPos. */
async function deposit(token: string, amount: bigint, current = 0n): Promise<bigint> {
  const steps = planDeposit({
    owner: me,
    token,
    amount,
    allowance: current,
    vaults: devnet.profile.contracts,
  });
  let utxoPos = 0n;
  for (const step of steps) {
    const receipt = await sendSigned(step.request);
    if (step.kind !== 'deposit') continue;
    const iface = token === ETH_TOKEN ? ethVaultInterface : erc20VaultInterface;
    const log = receipt.logs
      .map((l) => iface.parseLog(l))
      .find((l) => l?.name === 'DepositCreated');
    utxoPos = (log!.args[1] as bigint) * BLOCK_OFFSET;
  }
  return utxoPos;
}

async function spendable(positions: bigint[]): Promise<void> {
  await mine(devnet, devnet.profile.finality.deposits + 1);
  for (const p of positions) {
    await waitFor(`deposit ${p} spendable`, () => devnet.operator.chain.utxo(p) !== undefined);
  }
}

function myUtxos(): Utxo[] {
  return devnet.operator.chain.utxosOf(me).map(({ utxoPos, utxo }) => ({
    utxoPos,
    owner: utxo.owner,
    token: utxo.token,
    amount: utxo.amount,
  }));
}

async function submit(transaction: Hex): Promise<{ blknum: bigint; txhash: Hex }> {
  const r = await call<{ blknum: number | bigint; txhash: Hex }>(devnet, 'transaction.submit', {
    transaction,
  });
  return { blknum: BigInt(r.blknum), txhash: r.txhash };
}

describe('the wallet core on a devnet', () => {
  it('deposits ETH and an ERC20 (resetting a non-zero allowance first) with renderer-signed transactions', async () => {
    const token = devnet.profile.tokens[0]!.address.toLowerCase();
    const ethPos = await deposit(ETH_TOKEN, 10n ** 16n);
    // Leave a small allowance behind, so the plan must reset it before approving the deposit.
    await sendSigned({
      to: token as Address,
      data: erc20Interface.encodeFunctionData('approve', [
        devnet.profile.contracts.erc20Vault,
        7n,
      ]) as Hex,
    });
    expect(await allowance(token)).toBe(7n);
    const tokenPos = await deposit(token, 5000n, 7n);
    expect(await allowance(token)).toBe(0n);
    await spendable([ethPos, tokenPos]);
    expect(devnet.operator.chain.utxo(ethPos)).toMatchObject({
      owner: me,
      token: ETH_TOKEN,
      amount: 10n ** 16n,
    });
    expect(devnet.operator.chain.utxo(tokenPos)).toMatchObject({ owner: me, token, amount: 5000n });

    // A token payment with the fee in ETH: the operator accepts it as signed.
    const selection = selectCoins(myUtxos(), {
      from: me,
      to: BOB,
      token,
      amount: 1200n,
      fee: { token: ETH_TOKEN, amount: FEE },
    });
    if (selection.kind !== 'payment') throw new Error('expected a payment');
    const signed = signTransaction(
      signer,
      selection,
      devnet.profile.contracts.plasmaFramework as Address,
    );
    const accepted = await submit(signed.transaction);
    expect(accepted.txhash).toBe(signed.txHash);
    expect(signed.review.fee).toEqual([{ token: ETH_TOKEN, amount: FEE }]);
  });

  it('merges five small outputs (free, as the operator requires) before a payment that needs them all', async () => {
    const positions: bigint[] = [];
    for (let i = 0; i < 5; i++) positions.push(await deposit(ETH_TOKEN, 3n * FEE));
    await spendable(positions);
    const small = () => myUtxos().filter((u) => u.amount <= 3n * FEE);
    const intent = {
      from: me,
      to: BOB,
      token: ETH_TOKEN,
      amount: 13n * FEE,
      fee: { token: ETH_TOKEN, amount: FEE },
    };

    const proposal = selectCoins(small(), intent);
    if (proposal.kind !== 'merge') throw new Error('expected a merge proposal');
    expect(proposal.inputsNeeded).toBe(5);
    const merge = signTransaction(
      signer,
      proposal,
      devnet.profile.contracts.plasmaFramework as Address,
    );
    expect((await submit(merge.transaction)).txhash).toBe(merge.txHash);
    expect(merge.review.change).toEqual([{ token: ETH_TOKEN, amount: 6n * FEE }]);
    expect(merge.review.fee).toEqual([]);
    await waitFor('the merged output', () => myUtxos().some((u) => u.amount === 6n * FEE));

    const payment = selectCoins(
      myUtxos().filter((u) => u.token === ETH_TOKEN && u.amount < 10n ** 15n),
      intent,
    );
    if (payment.kind !== 'payment') throw new Error('expected the payment after the merge');
    expect(payment.inputs.length).toBeLessThanOrEqual(4);
    const paid = signTransaction(
      signer,
      payment,
      devnet.profile.contracts.plasmaFramework as Address,
    );
    expect((await submit(paid.transaction)).txhash).toBe(paid.txHash);
  });
});
