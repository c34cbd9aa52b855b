// PaymentExitGame standard exits (protocol.md §13.2–§13.5): start, challenge and processing, with
// the bond and payout arithmetic checked to the wei, every reachable revert, and the quirks this
// part of the protocol touches (Q4, Q5, Q14, Q15, Q17, Q19).
import { ZeroAddress, ZeroHash, type TransactionReceipt, type Wallet } from 'ethers';
import { beforeEach, describe, expect, it } from 'vitest';
import { deployContract } from '../deploy';
import { increaseTime, setNextTimestamp } from '../testing/anvil';
import { exitPriority } from '../../src/plasma/ids';
import {
  BOND,
  DEPOSIT_PROOF,
  ETH,
  MEP,
  blockOf,
  contractAt,
  depositBytes,
  depositEth,
  encode,
  expectRevert,
  expectRevertWithoutReason,
  feeOf,
  mined,
  now,
  outId,
  payment,
  queueKey,
  rawTx,
  seExitId,
  senderDataOf,
  sign,
  startExit,
  submitBlock,
  useFreshChainPerTest,
  type Env,
} from './helpers';

const chain = useFreshChainPerTest();
let env: Env;
beforeEach(() => {
  env = chain();
});

const E18 = 10n ** 18n;
const fw = () => env.framework;
const game = (w: Wallet) => env.as(env.exitGame, w);

function events(r: TransactionReceipt) {
  const out: { address: string; name: string; args: unknown[] }[] = [];
  for (const l of r.logs) {
    for (const c of [env.exitGame, env.framework, env.ethVault, env.erc20Vault]) {
      try {
        const p = c.interface.parseLog(l);
        if (p) {
          out.push({ address: l.address, name: p.name, args: p.args.toArray() });
          break;
        }
      } catch {
        // not this contract's event
      }
    }
  }
  return out;
}

async function record(exitId: bigint) {
  const [r] = (await env.exitGame.getFunction('standardExits')([exitId])) as unknown[][];
  const [exitable, utxoPos, outputId, exitTarget, amount, bondSize] = r!;
  return { exitable, utxoPos, outputId, exitTarget, amount, bondSize };
}

async function processAll(by: Wallet, max = 10n, token: string = ETH, vaultId = 1n) {
  return mined(env.as(fw(), by).getFunction('processExits')(vaultId, token, 0n, max));
}

/** Alice's deposit spent by a payment P in child block 1000: P pays bob 0.6 and alice 0.4. */
async function depositAndBlock() {
  const [alice, bob] = env.users as [Wallet, Wallet];
  const d = await depositEth(env, alice, E18);
  const p = payment(
    [d.utxoPos],
    [
      [bob, ETH, 6n * 10n ** 17n],
      [alice, ETH, 4n * 10n ** 17n],
    ],
  );
  const pBytes = encode(p);
  const filler = encode(payment([7_000_000_000n], [[alice, ETH, 1n]]));
  const block = await submitBlock(env, [filler, pBytes]);
  return {
    d,
    p,
    pBytes,
    block,
    utxoBob: block.blknum * 1_000_000_000n + 10_000n,
    utxoAlice: block.blknum * 1_000_000_000n + 10_001n,
  };
}

describe('startStandardExit', () => {
  it('deposit output: record, ExitQueued then ExitStarted, exitableAt = now + MEP', async () => {
    const alice = env.users[0]!;
    const d = await depositEth(env, alice, E18);
    const r = await startExit(env, alice, d.utxoPos, d.txBytes, DEPOSIT_PROOF());
    const exitId = seExitId(d.txBytes, d.utxoPos, true);
    expect(await env.exitGame.getFunction('getStandardExitId')(true, d.txBytes, d.utxoPos)).toBe(
      exitId,
    );
    const ts = BigInt((await env.provider.getBlock(r.blockNumber))!.timestamp);
    const priority = exitPriority(ts + MEP, d.utxoPos, exitId);
    const evs = events(r);
    expect(evs.map((e) => e.name)).toEqual(['ExitQueued', 'ExitStarted']);
    expect(evs[0]!.args).toEqual([exitId, priority]);
    expect(evs[0]!.address).toBe(env.deployment.addresses.plasmaFramework);
    expect(evs[1]!.args).toEqual([alice.address, exitId]);
    expect(evs[1]!.address).toBe(env.deployment.addresses.paymentExitGame);
    expect(await record(exitId)).toEqual({
      exitable: true,
      utxoPos: d.utxoPos,
      outputId: outId(d.txBytes, d.utxoPos, true),
      exitTarget: alice.address,
      amount: E18,
      bondSize: BOND,
    });
    const q = contractAt(
      'PriorityQueue',
      (await fw().getFunction('exitsQueues')(queueKey(1n, ETH))) as string,
      env.provider,
    );
    expect(await q.getFunction('heapList')()).toEqual([0n, priority]);
    expect(await fw().getFunction('getNextExit')(1n, ETH)).toBe(priority);
    expect(await env.provider.getBalance(env.deployment.addresses.paymentExitGame)).toBe(BOND);
  });

  it('block output: exitableAt = max(block time + 2·MEP, now + MEP)', async () => {
    const bob = env.users[1]!;
    const { pBytes, block, utxoBob } = await depositAndBlock();
    const [, blockTs] = (await fw().getFunction('blocks')(block.blknum)) as [string, bigint];
    // Young block: the block's 2·MEP dominates.
    const r = await startExit(env, bob, utxoBob, pBytes, block.proofs[1]!);
    const exitId = seExitId(pBytes, utxoBob, false);
    expect(events(r)[0]!.args).toEqual([exitId, exitPriority(blockTs + 2n * MEP, utxoBob, exitId)]);
    // Old block: now + MEP dominates.
    await increaseTime(env.provider, 3n * MEP);
    const alice = env.users[0]!;
    const utxoAlice = utxoBob + 1n;
    const r2 = await startExit(env, alice, utxoAlice, pBytes, block.proofs[1]!);
    const ts2 = BigInt((await env.provider.getBlock(r2.blockNumber))!.timestamp);
    const exitId2 = seExitId(pBytes, utxoAlice, false);
    expect(events(r2)[0]!.args).toEqual([exitId2, exitPriority(ts2 + MEP, utxoAlice, exitId2)]);
    expect((await record(exitId2)).outputId).toBe(outId(pBytes, utxoAlice, false));
  });

  it('rejects wrong bonds, bad positions, bad txs and outputs that do not exist', async () => {
    const [alice, bob] = env.users as [Wallet, Wallet];
    const { pBytes, block, utxoBob, d } = await depositAndBlock();
    const proof = block.proofs[1]!;
    await expectRevert(
      startExit(env, bob, utxoBob, pBytes, proof, 0n),
      'Input value must match msg.value',
    );
    await expectRevert(
      startExit(env, bob, utxoBob, pBytes, proof, BOND + 1n),
      'Input value must match msg.value',
    );
    await expectRevert(
      startExit(env, bob, 180143985095n * 1_000_000_000n, pBytes, proof),
      'blockNum exceeds max size allowed in PlasmaFramework',
    );
    await expectRevert(
      startExit(env, bob, 1000n * 1_000_000_000n + 65536n * 10_000n, pBytes, proof),
      'txIndex exceeds the size of uint16',
    );
    await expectRevert(startExit(env, bob, utxoBob, '0x', proof), 'Item is not a list');
    await expectRevert(
      startExit(env, bob, utxoBob + 2n, pBytes, proof),
      'Output index out of bounds',
    );
    // Q14: an unknown block reports "Block does not exist".
    await expectRevert(
      startExit(env, bob, 5000n * 1_000_000_000n + 10_000n, pBytes, proof),
      'Block does not exist',
    );
    await expectRevert(
      startExit(env, alice, utxoBob, pBytes, proof),
      'Only output owner can start an exit',
    );
    // Proof against the wrong root / wrong index / malformed proofs.
    await expectRevert(
      startExit(env, bob, utxoBob, pBytes, block.proofs[0]!),
      'The transaction must be standard finalized',
    );
    await expectRevert(
      startExit(env, bob, utxoBob - 10_000n, pBytes, proof),
      'The transaction must be standard finalized',
    );
    await expectRevert(
      startExit(env, alice, d.utxoPos, d.txBytes, proof),
      'The transaction must be standard finalized',
    );
    await expectRevert(
      startExit(env, bob, utxoBob, pBytes, '0x'),
      'Merkle proof must not be empty',
    );
    await expectRevert(
      startExit(env, bob, utxoBob, pBytes, proof.slice(0, -2)),
      'Length of Merkle proof must be a multiple of 32',
    );
    await expectRevert(
      startExit(env, bob, utxoBob + 20_000n, pBytes, proof.slice(0, 66)),
      'Index does not match the length of the proof',
    );
  });

  it('rejects a tx type other than 1, a zero-root block (Q17), and a second exit of the same output', async () => {
    const alice = env.users[0]!;
    const t2 = rawTx({
      txType: 2n,
      inputs: [1_000_000_000n],
      outputs: [{ guard: alice.address, token: ETH, amount: 5n }],
    });
    const b = await submitBlock(env, [t2]);
    await expectRevert(
      startExit(env, alice, b.blknum * 1_000_000_000n, t2, b.proofs[0]!),
      'Unsupported transaction type of the exit game',
    );

    await mined(env.as(fw(), env.authority).getFunction('submitBlock')(ZeroHash));
    const p = encode(payment([1_000_000_000n], [[alice, ETH, 5n]]));
    await expectRevert(
      startExit(env, alice, 2000n * 1_000_000_000n, p, blockOf([p]).proofs[0]!),
      'Failed to get the root hash of the block num',
    );

    const d = await depositEth(env, alice, 100n);
    await startExit(env, alice, d.utxoPos, d.txBytes, DEPOSIT_PROOF());
    await expectRevert(
      startExit(env, alice, d.utxoPos, d.txBytes, DEPOSIT_PROOF()),
      'Exit has already started',
    );
  });

  it('needs the exit queue of the token', async () => {
    const alice = env.users[0]!;
    const t = await deployContract('TestERC20', env.maintainer, ['No Queue', 'NQ']);
    await mined(t.contract.getFunction('mint')(alice.address, 10n));
    await mined(
      env.as(t.contract, alice).getFunction('approve')(env.deployment.addresses.erc20Vault, 10n),
    );
    const txBytes = depositBytes(alice.address, t.address, 10n);
    await mined(env.as(env.erc20Vault, alice).getFunction('deposit')(txBytes));
    await expectRevert(
      startExit(env, alice, 1_000_000_000n, txBytes, DEPOSIT_PROOF()),
      'The queue for the (vaultId, token) pair is not yet added to the Plasma framework',
    );
  });

  it('an unregistered exit game reports registration before the bond (§8.5)', async () => {
    const alice = env.users[0]!;
    const a = env.deployment.addresses;
    const other = await deployContract('PaymentExitGame', env.maintainer, [
      {
        framework: a.plasmaFramework,
        ethVaultId: 1n,
        erc20VaultId: 2n,
        spendingConditionRegistry: a.spendingConditionRegistry,
        stateTransitionVerifier: a.paymentTransactionStateTransitionVerifier,
        supportTxType: 1n,
        safeGasStipend: 2300n,
      },
    ]);
    await expectRevert(
      env.as(other.contract, alice).getFunction('startStandardExit')(
        { utxoPos: 1n, rlpOutputTx: '0x', outputTxInclusionProof: '0x' },
        { value: 1n },
      ),
      'The call is not from a registered exit game contract',
    );
  });

  it('constructor checks', async () => {
    const a = env.deployment.addresses;
    const args = {
      framework: a.plasmaFramework,
      ethVaultId: 1n,
      erc20VaultId: 2n,
      spendingConditionRegistry: a.spendingConditionRegistry,
      stateTransitionVerifier: a.paymentTransactionStateTransitionVerifier,
      supportTxType: 1n,
      safeGasStipend: 2300n,
    };
    await expectRevert(
      deployContract('PaymentExitGame', env.maintainer, [{ ...args, ethVaultId: 7n }]),
      'Invalid ETH vault',
    );
    await expectRevert(
      deployContract('PaymentExitGame', env.maintainer, [{ ...args, erc20VaultId: 7n }]),
      'Invalid ERC20 vault',
    );
    const reg = await deployContract('SpendingConditionRegistry', env.maintainer);
    await expectRevert(
      deployContract('PaymentExitGame', env.maintainer, [
        { ...args, spendingConditionRegistry: reg.address },
      ]),
      'Spending condition registry ownership needs to be renounced',
    );
  });
});

describe('challengeStandardExit', () => {
  async function spentDeposit() {
    const [alice, bob] = env.users as [Wallet, Wallet];
    const d = await depositEth(env, alice, E18);
    await startExit(env, alice, d.utxoPos, d.txBytes, DEPOSIT_PROOF());
    const exitId = seExitId(d.txBytes, d.utxoPos, true);
    const p = payment([d.utxoPos], [[bob, ETH, E18]]);
    const pBytes = encode(p);
    const [sig] = sign(p, [alice], env.deployment.addresses.plasmaFramework);
    const args = {
      exitId,
      exitingTx: d.txBytes,
      challengeTx: pBytes,
      inputIndex: 0,
      witness: sig!,
      senderData: senderDataOf(bob),
    };
    return { d, exitId, p, pBytes, sig: sig!, args };
  }

  it('a signed spend wins the bond for the challenger; the exit is omitted and can be restarted (Q19)', async () => {
    const [alice, bob, carol] = env.users as [Wallet, Wallet, Wallet];
    const { d, exitId, args } = await spentDeposit();
    const before = await env.provider.getBalance(bob.address);
    const r = await mined(game(bob).getFunction('challengeStandardExit')(args));
    expect(await env.provider.getBalance(bob.address)).toBe(before + BOND - feeOf(r));
    expect(events(r)).toEqual([
      {
        address: env.deployment.addresses.paymentExitGame,
        name: 'ExitChallenged',
        args: [d.utxoPos],
      },
    ]);
    expect((await record(exitId)).exitable).toBe(false);
    await expectRevert(
      game(bob).getFunction('challengeStandardExit')(args),
      'The exit does not exist',
    );

    await increaseTime(env.provider, MEP + 1n);
    const aliceBefore = await env.provider.getBalance(alice.address);
    const pr = await processAll(carol);
    expect(events(pr).map((e) => e.name)).toEqual(['ExitOmitted', 'ProcessedExitsNum']);
    expect(await env.provider.getBalance(alice.address)).toBe(aliceBefore);
    expect(await record(exitId)).toEqual({
      exitable: false,
      utxoPos: 0n,
      outputId: ZeroHash,
      exitTarget: ZeroAddress,
      amount: 0n,
      bondSize: 0n,
    });
    expect(await fw().getFunction('isOutputFinalized')(outId(d.txBytes, d.utxoPos, true))).toBe(
      false,
    );
    // Q19: the spent output can be exited again, and challenged again.
    await startExit(env, alice, d.utxoPos, d.txBytes, DEPOSIT_PROOF());
    await mined(game(bob).getFunction('challengeStandardExit')(args));
    // The exit game keeps no ETH of challenged exits.
    expect(await env.provider.getBalance(env.deployment.addresses.paymentExitGame)).toBe(0n);
  });

  it('rejects wrong sender data, unknown exits, non-spending txs and bad signatures', async () => {
    const [alice, bob, carol] = env.users as [Wallet, Wallet, Wallet];
    const { d, args, p } = await spentDeposit();
    const ch = (a: object, by = bob) =>
      game(by).getFunction('challengeStandardExit')({ ...args, ...a });
    const fwAddr = env.deployment.addresses.plasmaFramework;
    await expectRevert(ch({}, carol), 'Incorrect senderData');
    await expectRevert(ch({ challengeTx: '0x' }), 'Item is not a list');
    await expectRevert(ch({ exitId: args.exitId + 1n }), 'The exit does not exist');
    // A tx type nobody registered as MoreVP.
    const t5 = rawTx({
      txType: 5n,
      inputs: [d.utxoPos],
      outputs: [{ guard: bob.address, token: ETH, amount: 1n }],
    });
    await expectRevert(ch({ challengeTx: t5 }), 'MoreVpFinalization: not a MoreVP protocol tx');
    // Fee txs are MoreVP, but no condition spends a payment output by a fee tx.
    const t3 = rawTx({
      txType: 3n,
      outputs: [{ outputType: 2n, guard: bob.address, token: ETH, amount: 1n }],
    });
    await expectRevert(ch({ challengeTx: t3 }), 'Spending condition contract not found');
    await expectRevert(
      ch({ exitingTx: depositBytes(alice.address, ETH, E18 - 1n) }),
      'Invalid exiting tx causing outputId mismatch',
    );
    await expectRevert(ch({ exitingTx: '0x' }), 'Item is not a list');
    // A tx that does not spend the exiting output.
    const other = payment([d.utxoPos + 1_000_000_000n], [[bob, ETH, E18]]);
    await expectRevert(
      ch({ challengeTx: encode(other), witness: sign(other, [alice], fwAddr)[0] }),
      'Spending tx points to the incorrect output UTXO position',
    );
    // Signed by someone else / not a signature.
    await expectRevert(ch({ witness: sign(p, [bob], fwAddr)[0] }), 'Tx is not signed correctly');
    // Signed for another verifying contract (EIP-712 domain).
    await expectRevert(
      ch({ witness: sign(p, [alice], '0x' + '44'.repeat(20))[0] }),
      'Tx is not signed correctly',
    );
    await expectRevert(
      ch({ witness: args.witness.slice(0, -2) }),
      'Failed to recover the signer from the signature',
    );
    const sigBytes = args.witness;
    const badV = sigBytes.slice(0, -2) + '1b'.replace('1b', '1d');
    await expectRevert(ch({ witness: badV }), 'Failed to recover the signer from the signature');
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt('0x' + sigBytes.slice(66, 130));
    const v = parseInt(sigBytes.slice(130, 132), 16);
    const highS =
      sigBytes.slice(0, 66) + (n - s).toString(16).padStart(64, '0') + (v === 27 ? '1c' : '1b');
    await expectRevert(ch({ witness: highS }), 'Failed to recover the signer from the signature');
    // Q15: an input index beyond the spending tx's inputs fails without a reason string.
    await expectRevertWithoutReason(ch({ inputIndex: 1 }));
  });

  it('a challenger that refuses ETH cannot challenge (Q5)', async () => {
    const { args } = await spentDeposit();
    const w = await deployContract('TestWallet', env.maintainer);
    await mined(w.contract.getFunction('setRejectEth')(true));
    const data = env.exitGame.interface.encodeFunctionData('challengeStandardExit', [
      { ...args, senderData: senderDataOf(w.address) },
    ]);
    await expectRevert(
      w.contract.getFunction('exec')(env.deployment.addresses.paymentExitGame, data),
      'SafeEthTransfer: failed to transfer ETH',
    );
  });
});

describe('processing standard exits', () => {
  it('pays amount and bond to the owner to the wei, flags the output, never pays twice', async () => {
    const [alice, bob, carol] = env.users as [Wallet, Wallet, Wallet];
    const { pBytes, block, utxoBob } = await depositAndBlock();
    await startExit(env, bob, utxoBob, pBytes, block.proofs[1]!);
    const exitId = seExitId(pBytes, utxoBob, false);
    const [, blockTs] = (await fw().getFunction('blocks')(block.blknum)) as [string, bigint];
    const exitableAt = blockTs + 2n * MEP;

    // Q4: exitableAt == now is not yet exitable.
    await setNextTimestamp(env.provider, exitableAt);
    let r = await processAll(carol);
    expect(events(r).map((e) => [e.name, ...e.args])).toEqual([['ProcessedExitsNum', 0n, 1n, ETH]]);

    // Wrong top exit id.
    await expectRevert(
      env.as(fw(), carol).getFunction('processExits')(1n, ETH, exitId + 1n, 1n),
      'Top exit ID of the queue is different to the one specified',
    );

    await setNextTimestamp(env.provider, exitableAt + 1n);
    await env.provider.send('evm_mine', []);
    const bobBefore = await env.provider.getBalance(bob.address);
    const vaultBefore = await env.provider.getBalance(env.deployment.addresses.ethVault);
    r = await mined(env.as(fw(), carol).getFunction('processExits')(1n, ETH, exitId, 1n));
    const amount = 6n * 10n ** 17n;
    expect(await env.provider.getBalance(bob.address)).toBe(bobBefore + amount + BOND);
    expect(await env.provider.getBalance(env.deployment.addresses.ethVault)).toBe(
      vaultBefore - amount,
    );
    expect(events(r).map((e) => [e.name, ...e.args])).toEqual([
      ['EthWithdrawn', bob.address, amount],
      ['ExitFinalized', exitId],
      ['ProcessedExitsNum', 1n, 1n, ETH],
    ]);
    const oid = outId(pBytes, utxoBob, false);
    expect(await fw().getFunction('outputsFinalizations')(oid)).toBe(exitId);
    expect(await fw().getFunction('isOutputFinalized')(oid)).toBe(true);
    expect((await record(exitId)).amount).toBe(0n);
    // The same output cannot be exited again.
    await expectRevert(
      startExit(env, bob, utxoBob, pBytes, block.proofs[1]!),
      'Output is already spent',
    );
    await expectRevert(processAll(carol), 'Exit queue is empty');
    void alice;
  });

  it('respects maxExitsToProcess and processes in priority order', async () => {
    const [alice, bob, carol] = env.users as [Wallet, Wallet, Wallet];
    const d1 = await depositEth(env, alice, 100n);
    const d2 = await depositEth(env, bob, 200n);
    // bob exits first (earlier exitableAt), alice second.
    await startExit(env, bob, d2.utxoPos, d2.txBytes, DEPOSIT_PROOF());
    await increaseTime(env.provider, 10n);
    await startExit(env, alice, d1.utxoPos, d1.txBytes, DEPOSIT_PROOF());
    await increaseTime(env.provider, MEP + 20n);
    const r1 = await processAll(carol, 1n);
    expect(
      events(r1)
        .filter((e) => e.name === 'ExitFinalized')
        .map((e) => e.args[0]),
    ).toEqual([seExitId(d2.txBytes, d2.utxoPos, true)]);
    const r2 = await processAll(carol, 5n);
    expect(
      events(r2)
        .filter((e) => e.name === 'ExitFinalized')
        .map((e) => e.args[0]),
    ).toEqual([seExitId(d1.txBytes, d1.utxoPos, true)]);
    expect(events(r2).at(-1)!.args).toEqual([1n, 1n, ETH]);
  });

  it('a receiver that refuses ETH: BondReturnFailed and WithdrawFailed, output still exited (Q5)', async () => {
    const carol = env.users[2]!;
    const w = await deployContract('TestWallet', env.maintainer);
    const txBytes = depositBytes(w.address, ETH, 1000n);
    const exec = (to: string, data: string, value = 0n) =>
      mined(w.contract.getFunction('exec')(to, data, { value }));
    const a = env.deployment.addresses;
    await exec(a.ethVault, env.ethVault.interface.encodeFunctionData('deposit', [txBytes]), 1000n);
    const utxoPos = 1_000_000_000n;
    await exec(
      a.paymentExitGame,
      env.exitGame.interface.encodeFunctionData('startStandardExit', [
        { utxoPos, rlpOutputTx: txBytes, outputTxInclusionProof: DEPOSIT_PROOF() },
      ]),
      BOND,
    );
    await mined(w.contract.getFunction('setRejectEth')(true));
    await increaseTime(env.provider, MEP + 1n);
    const r = await processAll(carol);
    const exitId = seExitId(txBytes, utxoPos, true);
    expect(events(r).map((e) => [e.name, ...e.args])).toEqual([
      ['BondReturnFailed', w.address, BOND],
      ['WithdrawFailed', w.address, 1000n],
      ['ExitFinalized', exitId],
      ['ProcessedExitsNum', 1n, 1n, ETH],
    ]);
    expect(await env.provider.getBalance(a.ethVault)).toBe(1000n);
    expect(await env.provider.getBalance(a.paymentExitGame)).toBe(BOND);
    expect(await fw().getFunction('isOutputFinalized')(outId(txBytes, utxoPos, true))).toBe(true);
  });

  it('ERC-20: deposit, exit and payout; a failing token blocks the queue (Q5)', async () => {
    const [alice, , carol] = env.users as [Wallet, Wallet, Wallet];
    const token = env.token;
    const tokenAddr = (await token.getAddress()) as string;
    await mined(token.getFunction('mint')(alice.address, 500n));
    await mined(
      env.as(token, alice).getFunction('approve')(env.deployment.addresses.erc20Vault, 500n),
    );
    const txBytes = depositBytes(alice.address, tokenAddr, 500n);
    const r0 = await mined(env.as(env.erc20Vault, alice).getFunction('deposit')(txBytes));
    const blknum = events(r0).find((e) => e.name === 'DepositCreated')!.args[1] as bigint;
    const utxoPos = blknum * 1_000_000_000n;
    const r1 = await startExit(env, alice, utxoPos, txBytes, DEPOSIT_PROOF());
    const exitId = seExitId(txBytes, utxoPos, true);
    expect(events(r1)[0]!.name).toBe('ExitQueued');
    expect(await fw().getFunction('getNextExit')(2n, tokenAddr)).toBe(events(r1)[0]!.args[1]);
    await increaseTime(env.provider, MEP + 1n);

    await mined(token.getFunction('setTransfersFail')(true));
    await expectRevert(
      processAll(carol, 10n, tokenAddr, 2n),
      'SafeERC20: ERC20 operation did not succeed',
    );
    await mined(token.getFunction('setTransfersFail')(false));

    const ethBefore = await env.provider.getBalance(alice.address);
    const r = await processAll(carol, 10n, tokenAddr, 2n);
    expect(events(r).map((e) => [e.name, ...e.args])).toEqual([
      ['Erc20Withdrawn', alice.address, tokenAddr, 500n],
      ['ExitFinalized', exitId],
      ['ProcessedExitsNum', 1n, 2n, tokenAddr],
    ]);
    expect(await token.getFunction('balanceOf')(alice.address)).toBe(500n);
    expect(await token.getFunction('balanceOf')(env.deployment.addresses.erc20Vault)).toBe(0n);
    expect(await env.provider.getBalance(alice.address)).toBe(ethBefore + BOND);
  });

  it('processExit is for the framework only; in-flight ids are omitted', async () => {
    const alice = env.users[0]!;
    await expectRevert(
      game(alice).getFunction('processExit')(1n, 1n, ETH),
      'Caller address is unauthorized',
    );
  });
});

describe('bonds (§13.2)', () => {
  const cases = [
    [
      'updateStartStandardExitBondSize',
      'startStandardExitBondSize',
      'StandardExitBondUpdated',
      14000000000000000n,
    ],
    ['updateStartIFEBondSize', 'startIFEBondSize', 'IFEBondUpdated', 37000000000000000n],
    ['updatePiggybackBondSize', 'piggybackBondSize', 'PiggybackBondUpdated', 28000000000000000n],
  ] as const;

  it('constants', async () => {
    expect(await env.exitGame.getFunction('INITIAL_BOND_SIZE')()).toBe(14000000000000000n);
    expect(await env.exitGame.getFunction('INITIAL_IFE_BOND_SIZE')()).toBe(37000000000000000n);
    expect(await env.exitGame.getFunction('INITIAL_PB_BOND_SIZE')()).toBe(28000000000000000n);
    expect(await env.exitGame.getFunction('BOND_LOWER_BOUND_DIVISOR')()).toBe(2n);
    expect(await env.exitGame.getFunction('BOND_UPPER_BOUND_MULTIPLIER')()).toBe(2n);
  });

  for (const [update, getter, event, initial] of cases) {
    it(`${update}: maintainer only, bounds, 2-day delay, pending value replaced`, async () => {
      const g = env.exitGame;
      expect(await g.getFunction(getter)()).toBe(initial);
      await expectRevert(
        game(env.users[0]!).getFunction(update)(initial),
        'Caller address is unauthorized',
      );
      await expectRevert(g.getFunction(update)(0n), 'Bond size cannot be zero');
      await expectRevert(g.getFunction(update)(initial / 2n - 1n), 'Bond size is too low');
      await expectRevert(g.getFunction(update)(initial * 2n + 1n), 'Bond size is too high');
      const r = await mined(g.getFunction(update)(initial * 2n));
      expect(events(r).map((e) => [e.name, ...e.args])).toEqual([[event, initial * 2n]]);
      // Pending value replaced before it matures; bounds still relative to the current size.
      await mined(g.getFunction(update)(initial / 2n));
      await increaseTime(env.provider, 172800n - 5n);
      expect(await g.getFunction(getter)()).toBe(initial);
      await increaseTime(env.provider, 5n);
      expect(await g.getFunction(getter)()).toBe(initial / 2n);
      // After maturity, the next update's bounds use the new size; the matured value becomes current.
      await expectRevert(g.getFunction(update)(initial + 1n), 'Bond size is too high');
      await mined(g.getFunction(update)(initial));
      expect(await g.getFunction(getter)()).toBe(initial / 2n);
      await increaseTime(env.provider, 172800n);
      expect(await g.getFunction(getter)()).toBe(initial);
    });
  }

  it('an exit keeps the bond it paid after the bond size changes', async () => {
    const [alice, , carol] = env.users as [Wallet, Wallet, Wallet];
    const d = await depositEth(env, alice, 100n);
    await startExit(env, alice, d.utxoPos, d.txBytes, DEPOSIT_PROOF());
    await mined(env.exitGame.getFunction('updateStartStandardExitBondSize')(BOND * 2n));
    await increaseTime(env.provider, 172800n);
    expect(await env.exitGame.getFunction('startStandardExitBondSize')()).toBe(BOND * 2n);
    const d2 = await depositEth(env, alice, 100n);
    await expectRevert(
      startExit(env, alice, d2.utxoPos, d2.txBytes, DEPOSIT_PROOF()),
      'Input value must match msg.value',
    );
    const before = await env.provider.getBalance(alice.address);
    await processAll(carol);
    expect(await env.provider.getBalance(alice.address)).toBe(before + 100n + BOND);
  });
});

void now;
