import { keccak256, Transaction } from 'ethers';
import { describe, expect, it } from 'vitest';
import { erc20Interface, erc20VaultInterface, ethVaultInterface } from '../../plasma/contracts';
import { decodeDeposit } from '../../plasma/tx';
import { hexToBytes } from '../../plasma/hex';
import { ETH_TOKEN } from '../../plasma/types';
import type { EthereumFeeData } from '../../shared/wallet';
import { gasWithMargin, planDeposit, signEthereumTx } from './ethereum-tx';
import { createVault } from './vault';

const VAULTS = {
  ethVault: '0x1111111111111111111111111111111111111111',
  erc20Vault: '0x2222222222222222222222222222222222222222',
};
const TOKEN = '0x3333333333333333333333333333333333333333';
const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const OWNER = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
const FEE: EthereumFeeData = {
  chainId: 31337,
  maxFeePerGas: '2000000000',
  maxPriorityFeePerGas: '1000000000',
};

function depositOf(data: string, iface = ethVaultInterface) {
  const [txBytes] = iface.decodeFunctionData('deposit', data);
  return decodeDeposit(hexToBytes(txBytes as string));
}

describe('planDeposit', () => {
  it('deposits ETH in one transaction carrying the value', () => {
    const steps = planDeposit({
      owner: OWNER,
      token: ETH_TOKEN,
      amount: 10n ** 18n,
      vaults: VAULTS,
    });
    expect(steps.map((s) => s.kind)).toEqual(['deposit']);
    expect(steps[0]!.request).toMatchObject({ to: VAULTS.ethVault, value: 10n ** 18n });
    expect(depositOf(steps[0]!.request.data)).toMatchObject({
      owner: OWNER,
      token: ETH_TOKEN,
      amount: 10n ** 18n,
    });
  });

  it('approves an ERC20 only as far as needed, resetting a non-zero allowance first', () => {
    const plan = (allowance: bigint, resetBeforeApprove?: boolean) =>
      planDeposit({
        owner: OWNER,
        token: TOKEN,
        amount: 500n,
        vaults: VAULTS,
        allowance,
        resetBeforeApprove,
      });
    expect(plan(0n).map((s) => s.kind)).toEqual(['approve', 'deposit']);
    expect(plan(500n).map((s) => s.kind)).toEqual(['deposit']);
    expect(plan(10_000n).map((s) => s.kind)).toEqual(['deposit']);
    expect(plan(100n, false).map((s) => s.kind)).toEqual(['approve', 'deposit']);
    const steps = plan(100n);
    expect(steps.map((s) => s.kind)).toEqual(['reset_approval', 'approve', 'deposit']);
    const approvals = steps.slice(0, 2).map((s) => {
      expect(s.request.to).toBe(TOKEN);
      expect(s.request.value).toBeUndefined();
      return erc20Interface.decodeFunctionData('approve', s.request.data).map(String);
    });
    expect(approvals).toEqual([
      [VAULTS.erc20Vault, '0'],
      [VAULTS.erc20Vault, '500'],
    ]);
    expect(steps[2]!.request.to).toBe(VAULTS.erc20Vault);
    expect(depositOf(steps[2]!.request.data, erc20VaultInterface)).toMatchObject({
      owner: OWNER,
      token: TOKEN,
      amount: 500n,
    });
    expect(steps.every((s) => s.description.length > 10)).toBe(true);
  });

  it('refuses a zero amount, a bad address or a negative allowance', () => {
    const base = { owner: OWNER, token: TOKEN, amount: 5n, vaults: VAULTS };
    expect(() => planDeposit({ ...base, amount: 0n })).toThrow(
      expect.objectContaining({ code: 'invalid_amount' }),
    );
    expect(() => planDeposit({ ...base, owner: '0x12' })).toThrow(
      expect.objectContaining({ code: 'invalid_address' }),
    );
    expect(() => planDeposit({ ...base, allowance: -1n })).toThrow(
      expect.objectContaining({ code: 'invalid_amount' }),
    );
  });
});

describe('signEthereumTx', () => {
  async function signer() {
    const vault = await createVault('eth tx password', { scryptN: 1 << 4 });
    vault.importPrivateKey(KEY, 'Dev 1');
    return vault.signer(OWNER);
  }

  it('signs an EIP-1559 transaction from the account with main’s fees, nonce and gas', async () => {
    const [step] = planDeposit({ owner: OWNER, token: ETH_TOKEN, amount: 123n, vaults: VAULTS });
    const signed = signEthereumTx(await signer(), step!.request, {
      fee: FEE,
      nonce: 7,
      gasLimit: 100_000n,
    });
    const tx = Transaction.from(signed.raw);
    expect(tx.from!.toLowerCase()).toBe(OWNER);
    expect({
      type: tx.type,
      chainId: tx.chainId,
      nonce: tx.nonce,
      to: tx.to!.toLowerCase(),
    }).toEqual({
      type: 2,
      chainId: 31337n,
      nonce: 7,
      to: VAULTS.ethVault,
    });
    expect([tx.value, tx.gasLimit, tx.maxFeePerGas, tx.maxPriorityFeePerGas]).toEqual([
      123n,
      100_000n,
      2_000_000_000n,
      1_000_000_000n,
    ]);
    expect(tx.data).toBe(step!.request.data);
    expect(signed.hash).toBe(keccak256(signed.raw));
  });

  it('refuses parameters that would make a broken or surprising transaction', async () => {
    const s = await signer();
    const [step] = planDeposit({ owner: OWNER, token: ETH_TOKEN, amount: 1n, vaults: VAULTS });
    const bad = [
      { fee: { ...FEE, chainId: 0 }, nonce: 0, gasLimit: 21_000n },
      { fee: FEE, nonce: -1, gasLimit: 21_000n },
      { fee: FEE, nonce: 0.5, gasLimit: 21_000n },
      { fee: FEE, nonce: 0, gasLimit: 0n },
      { fee: FEE, nonce: 0, gasLimit: 10n ** 9n },
      { fee: { ...FEE, maxPriorityFeePerGas: '3000000000' }, nonce: 0, gasLimit: 21_000n },
      { fee: { ...FEE, maxFeePerGas: '1.5' }, nonce: 0, gasLimit: 21_000n },
    ];
    for (const params of bad) {
      expect(() => signEthereumTx(s, step!.request, params)).toThrow(
        expect.objectContaining({ name: 'WalletError' }),
      );
    }
  });

  it('adds headroom to a gas estimate', () => {
    expect(gasWithMargin(100_000n)).toBe(125_000n);
    expect(gasWithMargin(3n, 50)).toBe(5n);
    expect(() => gasWithMargin(0n)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
