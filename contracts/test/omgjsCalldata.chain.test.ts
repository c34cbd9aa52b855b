// The published omg-js client's calldata (shared/vectors, section `rootchain`) sent as-is to our
// contracts: only the `to` address is mapped to our deployment. Deposits must be accepted exactly as
// omg-js meant them; calls that need chain state we do not have must get past ABI decoding and be
// refused by the contract's own rule (a revert reason), never by a decoding failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Interface, type TransactionRequest } from 'ethers';
import { describe, expect, it } from 'vitest';
import { expectRevert, mined, useFreshChainPerTest, type Env } from './helpers';

interface Case {
  id: string;
  input: {
    plasmaContractAddress: string;
    env: { ethVault: string; erc20Vault: string; paymentExitGame: string };
    from?: string;
    method: string;
    args: Record<string, unknown>;
  };
  expected: { tx?: { to: string; value: string | null; data: string } };
}

const VECTORS = join(__dirname, '../../../shared/vectors/omgjs-v1-public.json');
const cases = (JSON.parse(readFileSync(VECTORS, 'utf8')) as { rootchain: Case[] }).rootchain;
const byMethod = (m: string) => cases.filter((c) => c.input.method === m && c.expected.tx);

const chain = useFreshChainPerTest({ ethQueue: false });

/** The vector's transaction, addressed to our contract playing the same role. */
function ours(env: Env, c: Case): TransactionRequest {
  const tx = c.expected.tx!;
  const roles: Record<string, string> = {
    [c.input.env.ethVault.toLowerCase()]: env.deployment.addresses.ethVault,
    [c.input.env.erc20Vault.toLowerCase()]: env.deployment.addresses.erc20Vault,
    [c.input.env.paymentExitGame.toLowerCase()]: env.deployment.addresses.paymentExitGame,
    [c.input.plasmaContractAddress.toLowerCase()]: env.deployment.addresses.plasmaFramework,
  };
  const to = roles[tx.to.toLowerCase()];
  if (!to) throw new Error(`${c.id}: no contract of ours plays ${tx.to}`);
  return { to, data: tx.data, value: tx.value === null ? 0n : BigInt(tx.value) };
}

/** A signer for the vector's sender (anvil impersonation), funded with 10 ETH. */
async function impersonate(env: Env, address: string) {
  await env.provider.send('anvil_impersonateAccount', [address]);
  await env.provider.send('anvil_setBalance', [address, '0x8ac7230489e80000']);
  return env.provider.getSigner(address);
}

const depositCreated = new Interface([
  'event DepositCreated(address indexed depositor, uint256 indexed blknum, address indexed token, uint256 amount)',
]);

describe('omg-js rootchain calldata against our contracts', () => {
  it('accepts every ETH deposit omg-js builds, for the sender and amount it meant', async () => {
    const env = chain();
    const eth = byMethod('deposit').filter((c) => c.expected.tx!.value !== null);
    expect(eth.length).toBeGreaterThan(0);
    for (const c of eth) {
      const signer = await impersonate(env, c.input.from!);
      const receipt = await mined(signer.sendTransaction(ours(env, c)));
      const log = receipt.logs
        .map((l) => depositCreated.parseLog(l))
        .find((l) => l?.name === 'DepositCreated');
      expect(log, c.id).toBeDefined();
      expect(String(log!.args.depositor).toLowerCase()).toBe(c.input.from!.toLowerCase());
      expect(log!.args.amount).toBe(BigInt(c.input.args['amount'] as string));
    }
  });

  it('adds the ETH exit queue with omg-js addToken calldata, and refuses it twice', async () => {
    const env = chain();
    const c = byMethod('addToken').find((x) => /^0x0{40}$/.test(x.input.args['token'] as string))!;
    await mined(env.maintainer.sendTransaction(ours(env, c)));
    await expectRevert(env.maintainer.sendTransaction(ours(env, c)), 'Exit queue exists');
  });

  it('decodes omg-js exit-game calldata and refuses it by rule, not by decoding', async () => {
    const env = chain();
    for (const method of ['startStandardExit', 'challengeStandardExit', 'processExits']) {
      for (const c of byMethod(method)) {
        const tx = ours(env, c);
        let reason: string | undefined;
        try {
          await env.provider.call({ ...tx, from: env.users[0]!.address });
        } catch (e) {
          reason = (e as { reason?: string }).reason ?? undefined;
        }
        // A decoding failure reverts without data; our contracts' rules all carry a reason.
        expect(reason, `${c.id} should be refused with a reason`).toMatch(/\w/);
      }
    }
  });
});
