// Gas used by the clean-room contracts for the calls of protocol.md Appendix C, printed next to the
// v1.0.5 reference figures measured the same way (receipt gasUsed on anvil). Each scenario sets up
// the same storage state as the reference (first vs later writes matter), then reverts to a snapshot.
import { Contract, Wallet, ZeroAddress, type TransactionReceipt } from 'ethers';
import { ensureContractsBuilt } from '../contracts/build';
import { attach, deployContract, deployPlasma } from '../contracts/deploy';
import { increaseTime, startAnvil } from '../contracts/testing/anvil';
import { encodeDeposit, encodePayment } from '../src/plasma/tx';
import { signPayment } from '../src/plasma/eip712';
import { allProofs, depositProof } from '../src/plasma/merkle';
import { senderData, standardExitId } from '../src/plasma/ids';
import { bytesToHex } from '../src/plasma/hex';
import { NULL_METADATA, type Address, type Hex, type PaymentTx } from '../src/plasma/types';

const MEP = 604800n;
const BOND = 14000000000000000n;
const E18 = 10n ** 18n;

interface Row {
  call: string;
  scenario: string;
  gas: bigint;
  reference: bigint;
}

const hexOf = (b: Uint8Array): Hex => bytesToHex(b);
const addr = (w: Wallet | string): Address =>
  (typeof w === 'string' ? w : w.address).toLowerCase() as Address;

function pay(inputs: bigint[], outputs: [Wallet, bigint][]): PaymentTx {
  return {
    txType: 1n,
    inputs,
    outputs: outputs.map(([w, amount]) => ({
      outputType: 1n,
      outputGuard: addr(w),
      token: ZeroAddress as Address,
      amount,
    })),
    txData: 0n,
    metadata: NULL_METADATA,
  };
}

async function gasOf(p: Promise<unknown>): Promise<bigint> {
  const tx = (await p) as { wait(): Promise<TransactionReceipt | null> };
  const r = await tx.wait();
  if (!r || r.status !== 1) throw new Error('transaction failed');
  return r.gasUsed;
}

export async function measure(): Promise<Row[]> {
  ensureContractsBuilt({ quiet: true });
  const anvil = await startAnvil();
  try {
    const provider = anvil.provider;
    const [maintainer, alice, bob, carol] = anvil.wallets as [Wallet, Wallet, Wallet, Wallet];
    const authority = anvil.wallets[9]!;
    const d = await deployPlasma({
      provider,
      authority,
      maintainer,
      minExitPeriod: MEP,
      addEthExitQueue: false,
    });
    const a = d.addresses;
    const framework = attach('PlasmaFramework', a.plasmaFramework, maintainer);
    const ethVault = attach('EthVault', a.ethVault, alice);
    const erc20Vault = attach('Erc20Vault', a.erc20Vault, alice);
    const exitGame = (w: Wallet) => attach('PaymentExitGame', a.paymentExitGame, w);
    const as = (c: Contract, w: Wallet) => c.connect(w) as Contract;
    const rows: Row[] = [];
    const row = (call: string, scenario: string, gas: bigint, reference: bigint) =>
      rows.push({ call, scenario, gas, reference });
    const snapshot = () => provider.send('evm_snapshot', []) as Promise<string>;
    const revert = (id: string) => provider.send('evm_revert', [id]);

    // addExitQueue
    row(
      'addExitQueue',
      'ETH (vault 1, token 0x0)',
      await gasOf(framework.getFunction('addExitQueue')(1n, ZeroAddress)),
      581845n,
    );
    const token = (await deployContract('TestERC20', maintainer, ['Bench', 'BNC'])).contract;
    const tokenAddr = (await token.getAddress()) as Address;
    row(
      'addExitQueue',
      'ERC-20 (vault 2)',
      await gasOf(framework.getFunction('addExitQueue')(2n, tokenAddr)),
      582085n,
    );

    // ETH deposits: five before the first child block.
    const deposits: { utxoPos: bigint; txBytes: Hex }[] = [];
    for (let i = 0; i < 5; i++) {
      const txBytes = hexOf(encodeDeposit(addr(alice), ZeroAddress as Address, E18));
      const g = await gasOf(ethVault.getFunction('deposit')(txBytes, { value: E18 }));
      if (i === 0) row('EthVault.deposit', '1 ETH', g, 168521n);
      deposits.push({ utxoPos: BigInt(i + 1) * 1_000_000_000n, txBytes });
    }

    // Child block 1000 after five deposits: a 1-in/2-out payment of deposit 1.
    const p1 = pay(
      [deposits[0]!.utxoPos],
      [
        [bob, 6n * 10n ** 17n],
        [alice, 4n * 10n ** 17n],
      ],
    );
    const p1Bytes = hexOf(encodePayment(p1));
    const block1 = allProofs([encodePayment(p1)]);
    row(
      'submitBlock',
      'first child block, after 5 deposits',
      await gasOf(as(framework, authority).getFunction('submitBlock')(hexOf(block1.root))),
      84069n,
    );
    row(
      'submitBlock',
      'later block, no deposit since the previous',
      await gasOf(as(framework, authority).getFunction('submitBlock')(hexOf(allProofs([]).root))),
      81269n,
    );

    // ERC-20 deposits (approve of the exact amount first).
    await gasOf(token.getFunction('mint')(alice.address, 1000n * E18));
    for (const [i, ref] of [
      [0, 206787n],
      [1, 189687n],
    ] as const) {
      await gasOf(as(token, alice).getFunction('approve')(a.erc20Vault, E18));
      const txBytes = hexOf(encodeDeposit(addr(alice), tokenAddr, E18));
      row(
        'Erc20Vault.deposit',
        i === 0 ? 'first deposit of the token' : 'later deposit',
        await gasOf(erc20Vault.getFunction('deposit')(txBytes)),
        ref,
      );
    }

    const proof1 = hexOf(block1.proofs[0]!);
    const start = (w: Wallet, utxoPos: bigint, txBytes: Hex, proof: Hex) =>
      gasOf(
        exitGame(w).getFunction('startStandardExit')(
          { utxoPos, rlpOutputTx: txBytes, outputTxInclusionProof: proof },
          { value: BOND },
        ),
      );
    const dProof = hexOf(depositProof());

    // startStandardExit of a deposit output into an empty queue.
    const s = await snapshot();
    row(
      'startStandardExit',
      'deposit output, empty queue',
      await start(alice, deposits[1]!.utxoPos, deposits[1]!.txBytes, dProof),
      377493n,
    );
    await revert(s);

    // Child-block outputs: (1000,0,0) into an empty queue, then (1000,0,1).
    row(
      'startStandardExit',
      'child-block output (1000,0,0), empty queue',
      await start(bob, 1000n * 1_000_000_000n, p1Bytes, proof1),
      400496n,
    );
    row(
      'startStandardExit',
      'child-block output (1000,0,1), 1 exit queued',
      await start(alice, 1000n * 1_000_000_000n + 1n, p1Bytes, proof1),
      383421n,
    );

    // challengeStandardExit: exit of deposit 2, spent by a 1-in/2-out tx signed by alice.
    await start(alice, deposits[1]!.utxoPos, deposits[1]!.txBytes, dProof);
    const spend = pay(
      [deposits[1]!.utxoPos],
      [
        [bob, 5n * 10n ** 17n],
        [alice, 5n * 10n ** 17n],
      ],
    );
    const [sig] = signPayment(spend, [alice.privateKey as Hex], addr(a.plasmaFramework));
    const exitId = standardExitId(
      encodeDepositBytes(deposits[1]!.txBytes),
      deposits[1]!.utxoPos,
      true,
    );
    row(
      'challengeStandardExit',
      'exit of a deposit output, spending tx 1-in/2-out',
      await gasOf(
        exitGame(bob).getFunction('challengeStandardExit')({
          exitId,
          exitingTx: deposits[1]!.txBytes,
          challengeTx: hexOf(encodePayment(spend)),
          inputIndex: 0,
          witness: sig!,
          senderData: senderData(bob.address),
        }),
      ),
      261314n,
    );

    // processExits on a queue that holds only the exits being measured.
    return await processBench(rows, {
      provider,
      framework,
      exitGame,
      maintainer,
      carol,
      deposits,
      start,
      dProof,
      snapshot,
      revert,
      anvilWallets: anvil.wallets,
    });
  } finally {
    await anvil.stop();
  }
}

function encodeDepositBytes(h: Hex): Uint8Array {
  return Uint8Array.from(Buffer.from(h.slice(2), 'hex'));
}

async function processBench(
  rows: Row[],
  ctx: {
    provider: import('ethers').JsonRpcProvider;
    framework: Contract;
    exitGame: (w: Wallet) => Contract;
    maintainer: Wallet;
    carol: Wallet;
    deposits: { utxoPos: bigint; txBytes: Hex }[];
    start: (w: Wallet, utxoPos: bigint, txBytes: Hex, proof: Hex) => Promise<bigint>;
    dProof: Hex;
    snapshot: () => Promise<string>;
    revert: (id: string) => Promise<unknown>;
    anvilWallets: Wallet[];
  },
): Promise<Row[]> {
  const { provider, framework, carol, start, dProof, snapshot, revert } = ctx;
  // Ten fresh owners (each already holding ETH, as in the reference run).
  const ethVault = attach('EthVault', await framework.getFunction('vaults')(1n), ctx.maintainer);
  const owners: Wallet[] = [];
  for (let i = 0; i < 10; i++) {
    const w = new Wallet(Wallet.createRandom().privateKey, provider);
    await gasOf(ctx.maintainer.sendTransaction({ to: w.address, value: E18 }));
    owners.push(w);
  }
  // Drain the queue of earlier exits so each measurement sees only its own.
  await increaseTime(provider, 3n * MEP);
  await gasOf(
    (framework.connect(carol) as Contract).getFunction('processExits')(1n, ZeroAddress, 0n, 100n),
  );

  const depositAndExit = async (w: Wallet, amount: bigint) => {
    const txBytes = hexOf(encodeDeposit(addr(w), ZeroAddress as Address, amount));
    const r = await (
      await (ethVault.connect(w) as Contract).getFunction('deposit')(txBytes, { value: amount })
    ).wait();
    const blknum = BigInt(r!.logs[0]!.topics[2]!);
    await start(w, blknum * 1_000_000_000n, txBytes, dProof);
  };

  let s = await snapshot();
  await depositAndExit(owners[0]!, 10n ** 17n);
  await increaseTime(provider, MEP + 1n);
  rows.push({
    call: 'processExits (ETH)',
    scenario: '1 standard exit, paid out',
    gas: await gasOf(
      (framework.connect(carol) as Contract).getFunction('processExits')(1n, ZeroAddress, 0n, 1n),
    ),
    reference: 140388n,
  });
  await revert(s);

  s = await snapshot();
  for (const w of owners) await depositAndExit(w, 10n ** 17n);
  await increaseTime(provider, MEP + 1n);
  rows.push({
    call: 'processExits (ETH)',
    scenario: '10 standard exits (10 owners), max 10',
    gas: await gasOf(
      (framework.connect(carol) as Contract).getFunction('processExits')(1n, ZeroAddress, 0n, 10n),
    ),
    reference: 900550n,
  });
  await revert(s);
  return rows;
}

export function formatRows(rows: Row[]): string {
  const header = ['call', 'scenario', 'gas (ours)', 'v1.0.5', 'ratio'];
  const body = rows.map((r) => [
    r.call,
    r.scenario,
    r.gas.toLocaleString('en-US'),
    r.reference.toLocaleString('en-US'),
    (Number(r.gas) / Number(r.reference)).toFixed(3),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export async function main(): Promise<void> {
  const rows = await measure();
  console.log('Gas used (receipt gasUsed) vs the v1.0.5 build, protocol.md Appendix C');
  console.log(formatRows(rows));
  const over = rows.filter((r) => Number(r.gas) > Number(r.reference) * 1.05);
  if (over.length > 0) console.log(`\n${over.length} call(s) more than 5% above v1.0.5.`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
