// Fills child-chain blocks with valid payments for benchmarks: by default ONE block of as many
// payments as the operator accepts (65,531 = 65,536 − 5 slots kept for fee claims, spec §1.5.4),
// 1 to 4 inputs and 1 to 4 outputs each, spread over many owners.
//
// Funding: a fresh deposit by a filler key is split, one input into four outputs per payment, over a
// few setup blocks (each a single transaction.batch_submit, so its positions come straight from the
// answers) until there is one output per input the fill needs. Then each filled block is one batch of
// payments, one signature per payment (every payment spends outputs of one owner), signed with the
// native secp256k1 binding when it loads (about 10× faster than the JS signer).
import { Wallet, computeAddress, keccak256, parseEther, toUtf8Bytes } from 'ethers';
import {
  BLOCK_OFFSET,
  ETH_TOKEN,
  MAX_PAYMENTS_PER_BLOCK,
  TX_OFFSET,
  bytesToHex,
  encodeSigned,
  hexToBytes,
  normalizeAddress,
  signDigest,
  signingDigest,
  type Hex,
  type PaymentTx,
} from '../src/plasma';
import {
  blocksCall,
  decodeBlockResult,
  depositEthTx,
  ethVaultInterface,
  nextChildBlockCall,
  plasmaFrameworkInterface,
} from '../src/plasma/contracts';
import { loadNativeSecp256k1 } from '../src/main/crypto/native-secp256k1';
import type { NetworkProfile } from '../src/shared/network-profile';
import { callChildChain } from './client';
import { paymentTx } from './operator/cheats';
import { devnetProvider } from './operator/root-chain';

export interface FillOptions {
  /** Payments per filled block (default: a full block, 65,531). */
  transactions?: number;
  /** How many blocks to fill, one after the other (default 1). */
  blocks?: number;
  /** How many distinct owners spend in the filled blocks (default 512). */
  owners?: number;
  /** Derives the owners' keys; another seed gives other owners (default 'vigil devnet filler'). */
  seed?: string;
  /** Progress lines. */
  log?: (message: string) => void;
  /** How long to wait for a block to be formed and its root to appear on chain (default 120 s). */
  timeoutMs?: number;
}

export interface FilledBlock {
  blknum: bigint;
  /** The root on chain (PlasmaFramework.blocks(blknum).root), equal to what the operator formed. */
  root: Hex;
  transactions: number;
  inputs: number;
  signMs: number;
  /** From the start of the batch submission to the root on chain. */
  submitMs: number;
}

export interface FillReport {
  setupBlocks: bigint[];
  setupMs: number;
  blocks: FilledBlock[];
  totalMs: number;
}

/** Where to fill: a network profile, or anything that has one (a running Devnet). */
export type FillTarget = NetworkProfile | { profile: NetworkProfile };

interface Coin {
  utxoPos: bigint;
  owner: number;
  amount: bigint;
}

interface SubmitAnswer {
  blknum?: bigint | number;
  txindex?: number;
  error?: { code: string; description?: string };
}

/** r ‖ s ‖ v over a 32-byte digest: native when the binding loads, the library's signer otherwise. */
function digestSigner(): (key: Uint8Array, keyHex: Hex, digest: Uint8Array) => Hex {
  const loaded = loadNativeSecp256k1();
  if (!loaded.ok) return (_key, keyHex, digest) => signDigest(keyHex, digest);
  const { secp256k1 } = loaded;
  const sig = new Uint8Array(65);
  return (key, _keyHex, digest) => {
    // libsecp256k1 signs deterministically (RFC 6979) with a low s, as the contracts require.
    const { signature, recid } = secp256k1.ecdsaSign(digest, key);
    sig.set(signature, 0);
    sig[64] = recid + 27;
    return bytesToHex(sig);
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Payments per setup block (below the block limit, leaving room for other users' payments). */
const SETUP_BATCH = 60_000;
/** Each leaf output holds this much, far above any fee. */
const LEAF_AMOUNT = 10_000_000_000_000n;

export async function fillBlocks(
  target: FillTarget,
  options: FillOptions = {},
): Promise<FillReport> {
  const started = performance.now();
  const profile = 'profile' in target ? target.profile : target;
  const perBlock = options.transactions ?? MAX_PAYMENTS_PER_BLOCK;
  const blockCount = options.blocks ?? 1;
  const ownerCount = options.owners ?? 512;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const log = options.log ?? (() => undefined);
  if (!Number.isInteger(perBlock) || perBlock < 1 || perBlock > MAX_PAYMENTS_PER_BLOCK)
    throw new RangeError(`transactions must be 1 to ${MAX_PAYMENTS_PER_BLOCK} per block.`);
  if (!Number.isInteger(blockCount) || blockCount < 1)
    throw new RangeError('blocks must be 1 or more.');
  if (!Number.isInteger(ownerCount) || ownerCount < 2 || ownerCount > 65_536)
    throw new RangeError('owners must be 2 to 65,536.');

  const url = profile.childChainUrl;
  const framework = normalizeAddress(profile.contracts.plasmaFramework);
  const provider = devnetProvider(profile.rpcUrl);
  const sign = digestSigner();
  const seed = options.seed ?? 'vigil devnet filler';
  // A fresh run gets fresh owners, so leftovers of an earlier run never collide with this one.
  const runSeed = `${seed}/${Date.now()}/${Math.random()}`;
  const keysHex = Array.from(
    { length: ownerCount },
    (_, i) => keccak256(toUtf8Bytes(`${runSeed}/${i}`)) as Hex,
  );
  const keys = keysHex.map((k) => hexToBytes(k));
  const owners = keysHex.map((k) => normalizeAddress(computeAddress(k)));

  const fees = await callChildChain<
    Record<string, { currency: string; amount: bigint | number }[]>
  >(url, 'fees.all', {});
  const feeEntry = fees['1']?.find((f) => normalizeAddress(f.currency) === ETH_TOKEN);
  if (!feeEntry) throw new Error('The operator takes no fee in ETH; the filler pays fees in ETH.');
  const fee = BigInt(feeEntry.amount);

  const signed = (tx: PaymentTx, owner: number): string => {
    const sig = sign(keys[owner]!, keysHex[owner]!, signingDigest(tx, framework));
    return bytesToHex(encodeSigned({ tx, sigs: tx.inputs.map(() => sig) }));
  };
  const output = (owner: number, amount: bigint) => [owners[owner]!, ETH_TOKEN, amount] as const;

  /** Submits one batch, forms its block, waits for the root on chain; returns answers and root. */
  const submitBlock = async (transactions: string[]) => {
    const answers = await callChildChain<SubmitAnswer[]>(url, 'transaction.batch_submit', {
      transactions,
    });
    const refused = answers.findIndex((a) => a.error);
    if (refused >= 0)
      throw new Error(
        `The operator refused payment ${refused} of the batch: ${answers[refused]!.error!.code} (${answers[refused]!.error!.description ?? ''})`,
      );
    const blknum = BigInt(answers[0]!.blknum!);
    if (answers.some((a) => BigInt(a.blknum!) !== blknum))
      throw new Error('The batch was split over two blocks; is another filler running?');
    await callChildChain(url, 'devnet.form_block', {});
    const root = await rootOnChain(blknum);
    return { answers, blknum, root };
  };

  const rootOnChain = async (blknum: bigint): Promise<Hex> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [next] = plasmaFrameworkInterface.decodeFunctionResult(
        'nextChildBlock',
        await provider.call(nextChildBlockCall(framework)),
      );
      if ((next as bigint) > blknum)
        return decodeBlockResult(await provider.call(blocksCall(framework, blknum))).root;
      if (Date.now() > deadline)
        throw new Error(`Block ${blknum} was not submitted on chain within ${timeoutMs} ms.`);
      // A block still being formed (the timer may hold the lock): form again, then look again.
      await callChildChain(url, 'devnet.form_block', {}).catch(() => undefined);
      await sleep(100);
    }
  };

  try {
    // The plan: payment i of a block has 1 + (i mod 4) inputs and 1 + ((i >> 2) mod 4) outputs.
    const inputsOf = (i: number) => 1 + (i % 4);
    const outputsOf = (i: number) => 1 + ((i >> 2) % 4);
    let needed = 0;
    for (let i = 0; i < perBlock; i++) needed += inputsOf(i);
    needed = needed * blockCount + 4 * ownerCount;

    // 1. The deposit: owner 0 gets ETH on Ethereum (anvil_setBalance) and deposits it.
    const depositAmount = LEAF_AMOUNT * BigInt(needed) + parseEther('0.01');
    const depositor = new Wallet(keysHex[0]!, provider);
    await provider.send('anvil_setBalance', [
      depositor.address,
      `0x${(depositAmount + parseEther('1')).toString(16)}`,
    ]);
    const request = depositEthTx(profile.contracts.ethVault, {
      owner: owners[0]!,
      amount: depositAmount,
    });
    const receipt = await (
      await depositor.sendTransaction({
        to: request.to,
        data: request.data,
        value: request.value ?? 0n,
      })
    ).wait();
    const depositLog = receipt?.logs
      .map((l) => ethVaultInterface.parseLog(l))
      .find((l) => l?.name === 'DepositCreated');
    if (!depositLog) throw new Error('The filler deposit emitted no DepositCreated.');
    const depositPos = (depositLog.args[1] as bigint) * BLOCK_OFFSET;
    // Bury the deposit under the finality margin, then wait for the operator to see it.
    for (let i = 0; i <= profile.finality.deposits; i++) await provider.send('evm_mine', []);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const utxos = await callChildChain<{ utxo_pos: bigint | number }[]>(url, 'devnet.utxos', {
        address: owners[0],
      });
      if (utxos.some((u) => BigInt(u.utxo_pos) === depositPos)) break;
      if (Date.now() > deadline) throw new Error('The operator did not recognise the deposit.');
      await sleep(100);
    }
    log(`deposited ${depositAmount} wei in deposit block ${depositPos / BLOCK_OFFSET}`);

    // 2. Setup: split outputs 1 → 4 until there is one coin per input of the fill, round-robin owners.
    let frontier: Coin[] = [{ utxoPos: depositPos, owner: 0, amount: depositAmount }];
    let nextOwner = 1;
    const setupBlocks: bigint[] = [];
    while (frontier.length < needed) {
      const splits = Math.min(
        frontier.length,
        Math.ceil((needed - frontier.length) / 3),
        SETUP_BATCH,
      );
      const spent = frontier.slice(0, splits);
      const recipients: number[][] = [];
      const txs = spent.map((coin) => {
        const share = (coin.amount - fee) / 4n;
        const to = [0, 1, 2, 3].map(() => nextOwner++ % ownerCount);
        recipients.push(to);
        const amounts = [coin.amount - fee - 3n * share, share, share, share];
        return signed(
          paymentTx(
            [coin.utxoPos],
            to.map((o, j) => output(o, amounts[j]!)),
          ),
          coin.owner,
        );
      });
      const { answers, blknum } = await submitBlock(txs);
      setupBlocks.push(blknum);
      const created: Coin[] = [];
      answers.forEach((a, k) => {
        const base = blknum * BLOCK_OFFSET + BigInt(a.txindex!) * TX_OFFSET;
        const amount = (spent[k]!.amount - fee) / 4n;
        const first = spent[k]!.amount - fee - 3n * amount;
        recipients[k]!.forEach((o, j) =>
          created.push({ utxoPos: base + BigInt(j), owner: o, amount: j === 0 ? first : amount }),
        );
      });
      frontier = [...frontier.slice(splits), ...created];
      log(`setup block ${blknum}: ${splits} splits, ${frontier.length} outputs`);
    }
    const setupMs = performance.now() - started;

    // 3. The fill: coins grouped by owner; payment i takes its inputs from the next owner with enough.
    const pools: Coin[][] = Array.from({ length: ownerCount }, () => []);
    for (const coin of frontier) pools[coin.owner]!.push(coin);
    let cursor = 0;
    const takeInputs = (count: number): { owner: number; coins: Coin[] } => {
      for (let tries = 0; tries < ownerCount; tries++) {
        const owner = cursor;
        cursor = (cursor + 1) % ownerCount;
        const pool = pools[owner]!;
        if (pool.length >= count) return { owner, coins: pool.splice(pool.length - count, count) };
      }
      // No owner has `count` coins left: take fewer from the fullest one.
      const owner = pools.reduce((best, p, i) => (p.length > pools[best]!.length ? i : best), 0);
      const coins = pools[owner]!.splice(0, count);
      if (coins.length === 0) throw new Error('The filler ran out of funded outputs.');
      return { owner, coins };
    };

    const blocks: FilledBlock[] = [];
    for (let b = 0; b < blockCount; b++) {
      const signStart = performance.now();
      let inputCount = 0;
      const txs: string[] = [];
      for (let i = 0; i < perBlock; i++) {
        const { owner, coins } = takeInputs(inputsOf(i));
        inputCount += coins.length;
        const total = coins.reduce((n, c) => n + c.amount, 0n) - fee;
        const m = outputsOf(i);
        const share = total / BigInt(m);
        const outputs = Array.from({ length: m }, (_, j) =>
          output(
            (owner + 1 + j * 97) % ownerCount === owner
              ? (owner + 1) % ownerCount
              : (owner + 1 + j * 97) % ownerCount,
            j === 0 ? total - share * BigInt(m - 1) : share,
          ),
        );
        txs.push(
          signed(
            paymentTx(
              coins.map((c) => c.utxoPos),
              outputs,
            ),
            owner,
          ),
        );
      }
      const signMs = performance.now() - signStart;
      const submitStart = performance.now();
      const { blknum, root } = await submitBlock(txs);
      const filled: FilledBlock = {
        blknum,
        root,
        transactions: txs.length,
        inputs: inputCount,
        signMs,
        submitMs: performance.now() - submitStart,
      };
      blocks.push(filled);
      log(
        `filled block ${blknum}: ${txs.length} payments, ${inputCount} inputs, root ${root} (signed in ${(signMs / 1000).toFixed(1)} s, submitted and on chain in ${(filled.submitMs / 1000).toFixed(1)} s)`,
      );
    }
    return { setupBlocks, setupMs, blocks, totalMs: performance.now() - started };
  } finally {
    provider.destroy();
  }
}
