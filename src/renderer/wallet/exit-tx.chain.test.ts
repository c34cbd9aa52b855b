// Exit-game transactions the renderer builds and signs, against a real devnet: standard exits of an
// ETH and an ERC20 deposit (bond as value), then processExits after anvil's clock passes the exit
// period; the money and the bonds come back to Ethereum to the wei minus gas. Main's part (fee data,
// nonce, gas estimate, eth.send) is played by the provider directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { increaseTime } from '../../../contracts/testing/anvil';
import { addressOf, mine, startTestDevnet, type TestDevnet } from '../../../devnet/testing';
import {
  decodeBoolResult,
  decodeUintResult,
  erc20BalanceOfCall,
  erc20VaultInterface,
  hasExitQueueCall,
  startStandardExitBondSizeCall,
  type TxRequest,
} from '../../plasma/contracts';
import { depositExitData } from '../../plasma/ids';
import { encodeDeposit } from '../../plasma/tx';
import { ETH_TOKEN, type Address } from '../../plasma/types';
import { gasWithMargin, planDeposit, signEthereumTx } from './ethereum-tx';
import { planStandardExit, processExitsStep, type ExitStep } from './exit-tx';
import { createVault, type AccountSigner } from './vault';

let devnet: TestDevnet;
let signer: AccountSigner;
let me: Address;

beforeAll(async () => {
  devnet = await startTestDevnet();
  const vault = await createVault('exit chain test', { scryptN: 1 << 4 });
  me = vault.importPrivateKey(devnet.devKeys[5]!, 'Dev 5').address;
  expect(me).toBe(addressOf(devnet.devKeys[5]!));
  signer = vault.signer(me);
});
afterAll(async () => devnet?.dispose());

const provider = () => devnet.operator.link.provider;

/** Signs `request` as the renderer does and mines it; returns the ETH it cost in gas. */
async function mined(request: TxRequest): Promise<{ gasPaid: bigint; logs: readonly unknown[] }> {
  const p = provider();
  const network = await p.getNetwork();
  const fee = await p.getFeeData();
  const estimate = await p.estimateGas({ ...request, from: me, value: request.value ?? 0n });
  const signed = signEthereumTx(signer, request, {
    fee: {
      chainId: Number(network.chainId),
      maxFeePerGas: String(fee.maxFeePerGas),
      maxPriorityFeePerGas: String(fee.maxPriorityFeePerGas),
    },
    nonce: await p.getTransactionCount(me, 'pending'),
    gasLimit: gasWithMargin(estimate),
  });
  const receipt = await (await p.broadcastTransaction(signed.raw)).wait();
  expect(receipt?.status).toBe(1);
  return { gasPaid: receipt!.gasUsed * receipt!.gasPrice, logs: receipt!.logs };
}

async function runSteps(steps: ExitStep[]): Promise<bigint> {
  let gas = 0n;
  for (const step of steps) gas += (await mined(step.request)).gasPaid;
  return gas;
}

const tokenBalance = async (token: string) =>
  decodeUintResult(await provider().call(erc20BalanceOfCall(token, me)));

describe('exit transactions signed in the renderer', () => {
  it('exits an ETH and an ERC20 deposit and gets both back, bonds included, after processing', async () => {
    const { contracts, minExitPeriod } = devnet.profile;
    const token = devnet.profile.tokens[0]!.address.toLowerCase();
    const amountEth = 3n * 10n ** 16n;
    const amountToken = 777n;

    // Deposits (renderer-signed, as in the wallet's own chain test), then their exit data.
    const deposits: { token: string; amount: bigint; blknum: bigint }[] = [];
    for (const [t, amount] of [
      [ETH_TOKEN, amountEth],
      [token, amountToken],
    ] as const) {
      const steps = planDeposit({ owner: me, token: t, amount, vaults: contracts });
      for (const step of steps) {
        const { logs } = await mined(step.request);
        if (step.kind !== 'deposit') continue;
        for (const l of logs as Parameters<typeof erc20VaultInterface.parseLog>[0][]) {
          const parsed = erc20VaultInterface.parseLog(l);
          if (parsed?.name === 'DepositCreated') {
            deposits.push({ token: t, amount, blknum: parsed.args[1] as bigint });
          }
        }
      }
    }
    expect(deposits).toHaveLength(2);
    await mine(devnet, devnet.profile.finality.deposits + 1);

    const bond = decodeUintResult(
      await provider().call(startStandardExitBondSizeCall(contracts.paymentExitGame)),
    );
    expect(bond).toBeGreaterThan(0n);
    const ethBefore = await provider().getBalance(me);
    const tokenBefore = await tokenBalance(token);
    let gas = 0n;
    for (const d of deposits) {
      const data = depositExitData(encodeDeposit(me, d.token as Address, d.amount), d.blknum);
      const hasExitQueue = decodeBoolResult(
        await provider().call(hasExitQueueCall(contracts.plasmaFramework, d.token)),
      );
      expect(hasExitQueue).toBe(true);
      const steps = planStandardExit({
        framework: contracts.plasmaFramework,
        exitGame: contracts.paymentExitGame,
        token: d.token,
        hasExitQueue,
        utxoPos: data.utxoPos,
        txBytes: data.txBytes,
        proof: data.proof,
        bond,
      });
      expect(steps.map((s) => s.kind)).toEqual(['start_standard_exit']);
      gas += await runSteps(steps);
    }
    expect(await provider().getBalance(me)).toBe(ethBefore - 2n * bond - gas);

    // A deposit exit is exitable one period after it starts.
    await increaseTime(provider(), minExitPeriod + 1);
    for (const t of [ETH_TOKEN, token]) {
      gas += await runSteps([
        processExitsStep({ framework: contracts.plasmaFramework, token: t, count: 1 }),
      ]);
    }
    expect(await provider().getBalance(me)).toBe(ethBefore + amountEth - gas);
    expect(await tokenBalance(token)).toBe(tokenBefore + amountToken);
  });
});
