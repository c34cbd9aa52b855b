// EthVault, Erc20Vault and the deposit verifiers (protocol.md §11): deposits are accepted only when
// the deposit tx says exactly what was deposited, by whom; withdrawals only by a safe exit game.
import { ZeroAddress } from 'ethers';
import { beforeEach, describe, expect, it } from 'vitest';
import { deployContract } from '../deploy';
import { increaseTime } from '../testing/anvil';
import {
  ETH,
  MEP,
  blockOf,
  depositBytes,
  encode,
  expectRevert,
  hex,
  mined,
  payment,
  rawTx,
  useFreshChainPerTest,
  type Env,
} from './helpers';
import { depositBlockRoot } from '../../src/plasma/merkle';
import { hexBytes } from './helpers';

const chain = useFreshChainPerTest();
let env: Env;
beforeEach(() => {
  env = chain();
});

const E18 = 10n ** 18n;

describe('EthVault.deposit', () => {
  it('stores a one-leaf deposit block and emits DepositCreated', async () => {
    const alice = env.users[0]!;
    const txBytes = depositBytes(alice.address, ETH, E18);
    const vault = env.as(env.ethVault, alice);
    const r = await mined(vault.getFunction('deposit')(txBytes, { value: E18 }));
    const log = env.ethVault.interface.parseLog(r.logs[0]!);
    expect(log?.name).toBe('DepositCreated');
    expect(log?.args.toArray()).toEqual([alice.address, 1n, ZeroAddress, E18]);
    const [root, ts] = (await env.framework.getFunction('blocks')(1n)) as [string, bigint];
    expect(root).toBe(hex(depositBlockRoot(hexBytes(txBytes))));
    expect(ts).toBe(BigInt((await env.provider.getBlock(r.blockNumber))!.timestamp));
    expect(await env.provider.getBalance(env.deployment.addresses.ethVault)).toBe(E18);
    expect(await env.framework.getFunction('isDeposit')(1n)).toBe(true);
    // The next deposit is block 2; after child block 1000 deposits continue at 1001.
    const r2 = await mined(
      vault.getFunction('deposit')(depositBytes(alice.address, ETH, 5n), { value: 5n }),
    );
    expect(env.ethVault.interface.parseLog(r2.logs[0]!)?.args[1]).toBe(2n);
    await mined(env.as(env.framework, env.authority).getFunction('submitBlock')(blockOf([]).root));
    const r3 = await mined(
      vault.getFunction('deposit')(depositBytes(alice.address, ETH, 5n), { value: 5n }),
    );
    expect(env.ethVault.interface.parseLog(r3.logs[0]!)?.args[1]).toBe(1001n);
  });

  it('rejects a deposit tx that does not match the deposit', async () => {
    const [alice, bob] = env.users;
    const vault = env.as(env.ethVault, alice!);
    const dep = (tx: string, value: bigint) => vault.getFunction('deposit')(tx, { value });
    // wrong owner
    await expectRevert(
      dep(depositBytes(bob!.address, ETH, 10n), 10n),
      "Depositor's address must match sender's address",
    );
    // wrong amount
    await expectRevert(
      dep(depositBytes(alice!.address, ETH, 10n), 11n),
      'Deposited value must match sent amount',
    );
    await expectRevert(
      dep(depositBytes(alice!.address, ETH, 10n), 0n),
      'Deposited value must match sent amount',
    );
    // wrong token
    await expectRevert(
      dep(depositBytes(alice!.address, '0x' + '11'.repeat(20), 10n), 10n),
      'Output requires correct currency (ETH)',
    );
    // extra inputs
    await expectRevert(
      dep(encode(payment([1_000_000_000n], [[alice!, ETH, 10n]])), 10n),
      'Deposit must have no inputs',
    );
    // two outputs
    await expectRevert(
      dep(
        encode(
          payment(
            [],
            [
              [alice!, ETH, 5n],
              [alice!, ETH, 5n],
            ],
          ),
        ),
        10n,
      ),
      'Deposit must have exactly one output',
    );
    // tx type 2 (the decoder does not check the type; the verifier does)
    const t2 = rawTx({ txType: 2n, outputs: [{ guard: alice!.address, token: ETH, amount: 10n }] });
    await expectRevert(dep(t2, 10n), 'Invalid transaction type');
    // output type 2
    const o2 = rawTx({
      outputs: [{ outputType: 2n, guard: alice!.address, token: ETH, amount: 10n }],
    });
    await expectRevert(dep(o2, 10n), 'Invalid output type');
    // malformed bytes: the decoder's strings surface
    await expectRevert(dep('0x', 10n), 'Item is not a list');
    expect(await env.provider.getBalance(env.deployment.addresses.ethVault)).toBe(0n);
  });

  it('refuses deposits without a verifier and from a quarantined vault', async () => {
    const alice = env.users[0]!;
    const vault2 = await deployContract('EthVault', env.maintainer, [
      env.deployment.addresses.plasmaFramework,
      2300n,
    ]);
    const v = env.as(vault2.contract, alice);
    const txBytes = depositBytes(alice.address, ETH, 10n);
    await expectRevert(
      v.getFunction('deposit')(txBytes, { value: 10n }),
      'Deposit verifier has not been set',
    );
    await mined(
      vault2.contract.getFunction('setDepositVerifier')(
        env.deployment.addresses.ethDepositVerifier,
      ),
    );
    await expectRevert(
      v.getFunction('deposit')(txBytes, { value: 10n }),
      'The call is not from a registered vault',
    );
    await mined(env.framework.getFunction('registerVault')(3n, vault2.address));
    await expectRevert(v.getFunction('deposit')(txBytes, { value: 10n }), 'Vault is quarantined');
    await increaseTime(env.provider, 2n * MEP);
    await mined(v.getFunction('deposit')(txBytes, { value: 10n }));
  });

  it('has no payable fallback', async () => {
    await expect(
      env.users[0]!.sendTransaction({ to: env.deployment.addresses.ethVault, value: 1n }),
    ).rejects.toThrow();
  });
});

describe('deposit verifier switch (both vaults share it)', () => {
  it('maintainer only; first verifier effective at once; a new one after 2·MEP', async () => {
    const vault = env.ethVault;
    const a = env.deployment.addresses;
    expect(await vault.getFunction('depositVerifiers')(0n)).toBe(a.ethDepositVerifier);
    expect(await vault.getFunction('getEffectiveDepositVerifier')()).toBe(a.ethDepositVerifier);
    expect(await vault.getFunction('newDepositVerifierMaturityTimestamp')()).toBe(2n ** 255n);
    await expectRevert(
      env.as(vault, env.users[0]!).getFunction('setDepositVerifier')(a.erc20DepositVerifier),
      'Caller address is unauthorized',
    );
    await expectRevert(
      vault.getFunction('setDepositVerifier')(ZeroAddress),
      'Cannot set an empty address as deposit verifier',
    );
    const next = await deployContract('EthDepositVerifier', env.maintainer, [1n, 1n]);
    const r = await mined(vault.getFunction('setDepositVerifier')(next.address));
    expect(env.ethVault.interface.parseLog(r.logs[0]!)?.args.toArray()).toEqual([next.address]);
    const ts = BigInt((await env.provider.getBlock(r.blockNumber))!.timestamp);
    expect(await vault.getFunction('newDepositVerifierMaturityTimestamp')()).toBe(ts + 2n * MEP);
    expect(await vault.getFunction('depositVerifiers')(1n)).toBe(next.address);
    expect(await vault.getFunction('getEffectiveDepositVerifier')()).toBe(a.ethDepositVerifier);
    await increaseTime(env.provider, 2n * MEP);
    expect(await vault.getFunction('getEffectiveDepositVerifier')()).toBe(next.address);
    expect(await env.erc20Vault.getFunction('getEffectiveDepositVerifier')()).toBe(
      a.erc20DepositVerifier,
    );
  });
});

describe('Erc20Vault.deposit', () => {
  it('pulls the approved tokens and records the deposit', async () => {
    const alice = env.users[0]!;
    const token = env.token;
    const tokenAddr = await token.getAddress();
    await mined(token.getFunction('mint')(alice.address, 1000n));
    await mined(
      env.as(token, alice).getFunction('approve')(env.deployment.addresses.erc20Vault, 300n),
    );
    const txBytes = depositBytes(alice.address, tokenAddr, 300n);
    const r = await mined(env.as(env.erc20Vault, alice).getFunction('deposit')(txBytes));
    const log = r.logs
      .map((l) => env.erc20Vault.interface.parseLog(l))
      .find((l) => l?.name === 'DepositCreated');
    expect(log?.args.toArray()).toEqual([alice.address, 1n, tokenAddr, 300n]);
    expect(await token.getFunction('balanceOf')(env.deployment.addresses.erc20Vault)).toBe(300n);
    expect(await token.getFunction('balanceOf')(alice.address)).toBe(700n);
  });

  it('rejects mismatching deposits and failing transfers', async () => {
    const [alice, bob] = env.users;
    const tokenAddr = await env.token.getAddress();
    await mined(env.token.getFunction('mint')(alice!.address, 1000n));
    const dep = (tx: string) => env.as(env.erc20Vault, alice!).getFunction('deposit')(tx);
    await expectRevert(
      dep(depositBytes(alice!.address, ETH, 10n)),
      'Invalid output currency (ETH)',
    );
    await expectRevert(
      dep(depositBytes(bob!.address, tokenAddr, 10n)),
      "Depositor's address must match sender's address",
    );
    await expectRevert(
      dep(encode(payment([5_000_000_000n], [[alice!, tokenAddr, 10n]]))),
      'Deposit must have no inputs',
    );
    await expectRevert(
      dep(
        encode(
          payment(
            [],
            [
              [alice!, tokenAddr, 5n],
              [alice!, tokenAddr, 5n],
            ],
          ),
        ),
      ),
      'Deposit must have exactly one output',
    );
    await expectRevert(
      dep(depositBytes(alice!.address, tokenAddr, 10n)),
      'Tokens have not been approved',
    );
    await mined(
      env.as(env.token, alice!).getFunction('approve')(env.deployment.addresses.erc20Vault, 10n),
    );
    await expectRevert(
      dep(depositBytes(alice!.address, tokenAddr, 11n)),
      'Tokens have not been approved',
    );
    await mined(env.token.getFunction('setTransfersFail')(true));
    await expectRevert(
      dep(depositBytes(alice!.address, tokenAddr, 10n)),
      'SafeERC20: ERC20 operation did not succeed',
    );
    await mined(env.token.getFunction('setTransfersFail')(false));
    await mined(dep(depositBytes(alice!.address, tokenAddr, 10n)));
  });

  it('rejects a deposit of a "token" with no code', async () => {
    const alice = env.users[0]!;
    // allowance() on an account without code fails while the verifier decodes the answer.
    await expect(
      env.as(env.erc20Vault, alice).getFunction('deposit')(
        depositBytes(alice.address, '0x' + '12'.repeat(20), 10n),
      ),
    ).rejects.toThrow();
  });
});

describe('withdrawals', () => {
  it('only a registered, non-quarantined exit game may withdraw', async () => {
    const alice = env.users[0]!;
    const msg = 'Called from a non-registered or quarantined exit game contract';
    await expectRevert(env.as(env.ethVault, alice).getFunction('withdraw')(alice.address, 1n), msg);
    await expectRevert(
      env.as(env.erc20Vault, alice).getFunction('withdraw')(
        alice.address,
        await env.token.getAddress(),
        1n,
      ),
      msg,
    );
  });

  it('vault getters', async () => {
    expect(await env.ethVault.getFunction('safeGasStipend')()).toBe(2300n);
    const v = await deployContract('EthDepositVerifier', env.maintainer, [1n, 1n]);
    expect(await v.contract.getFunction('depositTxType')()).toBe(1n);
    expect(await v.contract.getFunction('supportedOutputType')()).toBe(1n);
  });
});
