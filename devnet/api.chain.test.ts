// The operator's HTTP API against a real devnet: deposits become spendable only after the finality
// margin, the accept path, a refusal per error atom, hostile requests, and the roots on chain equal
// to the Merkle roots of the blocks block.get serves, submitted with nonces in block order.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BLOCK_OFFSET,
  bytesToHex,
  decodeRlp,
  decodeSignedTransaction,
  encodeRlp,
  hexToBytes,
  txHash,
  type Hex,
  type RlpItem,
} from '../src/plasma';
import { plasmaFrameworkInterface } from '../src/plasma/contracts';
import { ANVIL_DEV_KEYS } from '../contracts/testing/anvil';
import { ChildChainError, requestChildChain } from './client';
import {
  FEE,
  addressOf,
  call,
  depositEth,
  fundedOutput,
  getBlock,
  mine,
  nextChildBlock,
  payment,
  rootOnChain,
  servedRoot,
  startTestDevnet,
  submit,
  waitFor,
  type TestDevnet,
} from './testing';

const ALICE_KEY = ANVIL_DEV_KEYS[1] as Hex;
const BOB_KEY = ANVIL_DEV_KEYS[2] as Hex;
const ALICE = addressOf(ALICE_KEY);
const BOB = addressOf(BOB_KEY);
const ETH = 1_000_000_000_000_000_000n;

let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet();
});
afterAll(async () => {
  await devnet?.dispose();
});

async function refusal(signed: Uint8Array): Promise<string> {
  const error = await submit(devnet, signed).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChildChainError);
  return (error as ChildChainError).code;
}

/** Re-encodes a signed transaction with one of its RLP items replaced. */
function patched(signed: Uint8Array, index: number, item: RlpItem): Uint8Array {
  const items = decodeRlp(signed) as RlpItem[];
  items[index] = item;
  return encodeRlp(items);
}

describe('deposits', () => {
  it('become spendable only once buried under the deposit finality margin', async () => {
    const margin = devnet.profile.finality.deposits;
    expect(margin).toBeGreaterThan(0);
    const utxoPos = await depositEth(devnet, ALICE_KEY, ETH);
    const spend = payment(devnet, [utxoPos], [[BOB, ETH - FEE]], [ALICE_KEY]);

    // One block short of the margin: the operator has looked at the deposit's height and said no.
    await mine(devnet, margin - 1);
    const head = await devnet.operator.link.provider.getBlockNumber();
    await waitFor(
      'the operator to scan up to the safe height',
      () => Number(devnet.operator.state.getMeta('deposits_scanned_to')) >= head - margin,
    );
    expect(devnet.operator.chain.utxo(utxoPos)).toBeUndefined();
    expect(await refusal(spend)).toBe('submit:utxo_not_found');

    await mine(devnet, 1);
    await waitFor('the deposit to be recognised', () => devnet.operator.chain.utxo(utxoPos));
    expect(devnet.operator.chain.utxo(utxoPos)).toMatchObject({ owner: ALICE, amount: ETH });
    const accepted = await submit(devnet, spend);
    expect(accepted.txhash).toBe(txHash(decodeSignedTransaction(spend).txBytes));
  });
});

describe('transaction.submit', () => {
  let alicePos: bigint;
  beforeAll(async () => {
    alicePos = await fundedOutput(devnet, ALICE_KEY, ETH);
  });

  const good = () => payment(devnet, [alicePos], [[BOB, ETH - FEE]], [ALICE_KEY]);

  it.each([
    ['utxo_not_found', () => payment(devnet, [999n * BLOCK_OFFSET], [[BOB, 1n]], [ALICE_KEY])],
    ['unauthorized_spend', () => payment(devnet, [alicePos], [[BOB, ETH - FEE]], [BOB_KEY])],
    ['amounts_do_not_add_up', () => payment(devnet, [alicePos], [[BOB, ETH + 1n]], [ALICE_KEY])],
    ['fees_not_covered', () => payment(devnet, [alicePos], [[BOB, ETH]], [ALICE_KEY])],
    ['fees_not_covered', () => payment(devnet, [alicePos], [[BOB, ETH - 1n]], [ALICE_KEY])],
    ['overpaying_fees', () => payment(devnet, [alicePos], [[BOB, ETH - 2n * FEE]], [ALICE_KEY])],
    [
      'input_utxo_ahead_of_state',
      () => payment(devnet, [10_000_000n * BLOCK_OFFSET], [[BOB, 1n]], [ALICE_KEY]),
    ],
    [
      'duplicate_inputs',
      () => {
        const two = payment(
          devnet,
          [alicePos, 999n * BLOCK_OFFSET],
          [[BOB, 1n]],
          [ALICE_KEY, ALICE_KEY],
        );
        const inputs = (decodeRlp(two) as RlpItem[])[2] as Uint8Array[];
        return patched(two, 2, [inputs[0]!, inputs[0]!]);
      },
    ],
    ['missing_signature', () => patched(good(), 0, [])],
    [
      'malformed_witnesses',
      () => patched(good(), 0, [(decodeRlp(good()) as Uint8Array[][])[0]![0]!.slice(0, 64)]),
    ],
    ['malformed_transaction_rlp', () => hexToBytes('0xf8ff00')],
    ['malformed_transaction', () => encodeRlp([new Uint8Array(0)])],
  ] as const)('refuses with submit:%s', async (atom, make) => {
    expect(await refusal(make())).toBe(`submit:${atom}`);
    // Nothing was lost: the output is still there to be spent.
    expect(devnet.operator.chain.utxo(alicePos)).toBeDefined();
  });

  it('accepts a valid payment and answers blknum, txindex and txhash; the block carries it', async () => {
    const signed = good();
    const result = await submit(devnet, signed);
    expect(result.txhash).toBe(txHash(decodeSignedTransaction(signed).txBytes));
    expect(await refusal(signed)).toBe('submit:utxo_not_found');
    const root = await rootOnChain(devnet, result.blknum);
    const block = await getBlock(devnet, root);
    expect(block.blknum).toBe(result.blknum);
    expect(block.transactions[result.txindex]).toBe(bytesToHex(signed));
  });

  it('answers each transaction of a batch on its own', async () => {
    const bobPos = await fundedOutput(devnet, BOB_KEY, ETH);
    const ok = payment(devnet, [bobPos], [[ALICE, ETH - FEE]], [BOB_KEY]);
    const stolen = payment(devnet, [bobPos], [[ALICE, ETH - FEE]], [ALICE_KEY]);
    const results = await call<{ blknum?: unknown; error?: { code: string } }[]>(
      devnet,
      'transaction.batch_submit',
      { transactions: [bytesToHex(stolen), bytesToHex(ok), '0xc0', bytesToHex(ok)] },
    );
    expect(results.map((r) => r.error?.code ?? 'ok')).toEqual([
      'submit:unauthorized_spend',
      'ok',
      'submit:malformed_transaction',
      'submit:utxo_not_found',
    ]);
  });
});

describe('hostile requests', () => {
  const url = () => devnet.profile.childChainUrl;

  async function raw(path: string, body: string, contentType = 'application/json') {
    const res = await fetch(`${url()}/${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    return {
      status: res.status,
      body: (await res.json()) as { success: boolean; data: { code: string } },
    };
  }

  /** A request that declares a body far over the limit and sends only its start. */
  function oversized(): Promise<string> {
    const { port } = new URL(url());
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let answer = '';
      socket.on('data', (c: Buffer) => {
        answer += c.toString();
        if (answer.includes('}}') || answer.includes('"service_name"')) {
          socket.destroy();
          resolve(answer);
        }
      });
      socket.on('error', reject);
      socket.write(
        `POST /transaction.submit HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${512 * 1024 * 1024}\r\n\r\n{"transaction":"0x`,
      );
    });
  }

  it('answers operation:bad_request to bad bodies and parameters, and keeps serving', async () => {
    const badJson = await raw('block.get', '{"hash":');
    expect(badJson.status).toBe(400);
    expect(badJson.body.data.code).toBe('operation:bad_request');
    expect((await raw('block.get', '[1,2]')).body.data.code).toBe('operation:bad_request');
    const text = await raw('block.get', '{}', 'text/plain');
    expect(text.body.data.code).toBe('operation:bad_request');

    for (const [method, params, parameter] of [
      ['block.get', { hash: 'zz' }, 'hash'],
      ['block.get', { hash: '0x1234' }, 'hash'],
      ['transaction.submit', { transaction: 12 }, 'transaction'],
      ['transaction.submit', {}, 'transaction'],
      ['transaction.batch_submit', { transactions: '0x00' }, 'transactions'],
      ['transaction.batch_submit', { transactions: ['0x00', 7] }, '1'],
      ['devnet.cheat', { name: 'steal_everything' }, 'name'],
    ] as const) {
      const { body } = await requestChildChain(url(), method, params);
      expect(body.success).toBe(false);
      expect(body.data).toMatchObject({
        code: 'operation:bad_request',
        messages: { validation_error: { parameter } },
      });
    }

    const huge = await oversized();
    expect(huge).toMatch(/operation:bad_request/);
    const unknown = await requestChildChain(url(), 'block.steal', {});
    expect(unknown.body.data).toMatchObject({ code: 'operation:not_found' });
    const missing = await requestChildChain(url(), 'block.get', { hash: `0x${'ab'.repeat(32)}` });
    expect(missing.body.data).toMatchObject({ code: 'get_block:not_found' });

    // Still serving, and still accepting payments.
    const config = await requestChildChain(url(), 'configuration.get', {}, 'GET');
    expect(config.body).toMatchObject({
      success: true,
      service_name: 'child_chain',
      data: { deposit_finality_margin: devnet.profile.finality.deposits },
    });
    const pos = await fundedOutput(devnet, ALICE_KEY, ETH);
    await submit(devnet, payment(devnet, [pos], [[BOB, ETH - FEE]], [ALICE_KEY]));
  });
});

describe('blocks on chain', () => {
  it('every root on chain is the Merkle root of the block served for it, submitted in nonce order', async () => {
    // A few more blocks, one payment each, each waiting for the last to be on chain.
    let pos = await fundedOutput(devnet, ALICE_KEY, ETH);
    let amount = ETH;
    const keys = [ALICE_KEY, BOB_KEY];
    for (let i = 0; i < 3; i++) {
      amount -= FEE;
      const r = await submit(
        devnet,
        payment(devnet, [pos], [[addressOf(keys[(i + 1) % 2]!), amount]], [keys[i % 2]!]),
      );
      await rootOnChain(devnet, r.blknum);
      pos = r.blknum * BLOCK_OFFSET + BigInt(r.txindex) * 10_000n;
    }
    await waitFor('no block left to submit', () =>
      devnet.operator.state.unsubmittedBlocks().length === 0 ? true : undefined,
    );

    const next = await nextChildBlock(devnet);
    const stored = devnet.operator.state.blocks();
    expect(stored.length).toBeGreaterThanOrEqual(4);
    expect(stored.map((b) => b.blknum)).toEqual(
      Array.from({ length: Number(next / 1000n) - 1 }, (_, i) => BigInt(i + 1) * 1000n),
    );
    const provider = devnet.operator.link.provider;
    let lastNonce = -1;
    for (const b of stored) {
      const root = await rootOnChain(devnet, b.blknum);
      const served = await getBlock(devnet, root);
      expect(served.blknum).toBe(b.blknum);
      expect(served.hash).toBe(root);
      expect(servedRoot(served.transactions)).toBe(root);

      const tx = (await provider.getTransaction(b.submittedTx!))!;
      expect(tx.from.toLowerCase()).toBe(devnet.profile.authority.toLowerCase());
      expect(plasmaFrameworkInterface.parseTransaction(tx)!.args[0]).toBe(root);
      expect(tx.nonce).toBeGreaterThan(lastNonce);
      lastNonce = tx.nonce;
    }
  });
});
