// The wallet's main-side services against a real devnet, driven only through the IPC router as the
// renderer drives them: a deposit followed to spendable, a payment built and signed with src/plasma
// submitted through the gate and seen in both accounts and histories, the Ethereum requests, and a
// devnet cheat that makes chain.submit refuse.
import { Transaction, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callChildChain } from '../../../devnet/client';
import { waitFor as until } from '../../../devnet/testing';
import { createPaymentTx } from '../../plasma/build';
import { depositErc20Tx, depositEthTx, erc20ApproveTx } from '../../plasma/contracts';
import { signPayment } from '../../plasma/eip712';
import { bytesToHex, normalizeAddress } from '../../plasma/hex';
import { encodeMetadata } from '../../plasma/metadata';
import { encodeSigned } from '../../plasma/tx';
import { ETH_TOKEN, type Address, type Hex } from '../../plasma/types';
import type { RequestMethod, RequestParams, RequestResult } from '../../shared/ipc';
import type { ChainSnapshot, ChildAccount, HistoryItem } from '../../shared/wallet';
import { dispatch } from '../ipc/router';
import type { AppEventListener } from './services';
import { startTestApp, type TestApp } from './testing/app';

let app: TestApp;
const events: Parameters<AppEventListener>[] = [];
const pushedAt: number[] = [];

beforeAll(async () => {
  app = await startTestApp();
  app.services.events.subscribe((name, payload) => {
    events.push([name, payload]);
    if (name === 'chain.snapshot') pushedAt.push(Date.now());
  });
}, 240_000);
afterAll(async () => app?.dispose());

async function ask<M extends RequestMethod>(
  method: M,
  params: RequestParams<M>,
): Promise<RequestResult<M>> {
  const r = await dispatch(app.table, method, params);
  if (!r.ok) throw new Error(`${method} refused: ${r.error.code}: ${r.error.message}`);
  return r.value as RequestResult<M>;
}

async function refusal(
  method: RequestMethod,
  params: unknown,
): Promise<{ code: string; message: string }> {
  const r = await dispatch(app.table, method, params);
  if (r.ok) throw new Error(`${method} was expected to be refused`);
  return r.error;
}

const keyOf = (i: number): Hex => app.devnet.devKeys[i]!;
const addressOf = (i: number): Address => normalizeAddress(new Wallet(keyOf(i)).address);

/** Signs an Ethereum transaction the way the renderer does: nonce and fees from main, sent by main. */
async function signEth(
  i: number,
  request: { to: string; data: string; value?: bigint },
  chainId?: number,
): Promise<string> {
  const from = addressOf(i);
  const [account, fees] = await Promise.all([
    ask('eth.account', { address: from }),
    ask('eth.feeData', {}),
  ]);
  const gas = await ask('eth.estimateGas', {
    from,
    to: request.to,
    data: request.data,
    value: (request.value ?? 0n).toString(),
  });
  return new Wallet(keyOf(i)).signTransaction({
    type: 2,
    chainId: chainId ?? fees.chainId,
    nonce: account.nonce,
    to: request.to,
    data: request.data,
    value: request.value ?? 0n,
    gasLimit: (BigInt(gas.gas) * 12n) / 10n,
    maxFeePerGas: BigInt(fees.maxFeePerGas),
    maxPriorityFeePerGas: BigInt(fees.maxPriorityFeePerGas),
  });
}

describe('the wallet services on a real devnet', () => {
  let depositBlknum: bigint;
  const DEPOSIT = 10n ** 17n;

  it('reports the chain and becomes ready to submit once synced', async () => {
    const snap = await until('a submittable snapshot', async () => {
      const s = await ask('chain.snapshot', {});
      return s.canSubmit ? s : undefined;
    });
    expect(snap.status.kind).toBe('valid');
    expect(snap.network.chainId).toBe(31337);
    expect(BigInt(snap.lastValidatedBlock)).toBeGreaterThanOrEqual(BigInt(snap.lastMinedBlock));
    await until('a pushed snapshot', async () => events.some(([n]) => n === 'chain.snapshot'));
  });

  it('relays a signed ETH deposit and follows it until the watcher lets it be spent', async () => {
    const request = depositEthTx(app.devnet.profile.contracts.ethVault, {
      owner: addressOf(1),
      amount: DEPOSIT,
    });
    const { hash } = await ask('eth.send', { raw: await signEth(1, request) });
    const progress = await until('a spendable deposit', async () => {
      const p = await ask('deposit.progress', { ethTxHash: hash });
      expect(p.stage).not.toBe('failed');
      return p.stage === 'spendable' ? p : undefined;
    });
    expect(progress.confirmations).toBeGreaterThanOrEqual(progress.needed);
    depositBlknum = BigInt(progress.blknum!);
    const account = await ask('chain.account', { address: addressOf(1) });
    expect(account.utxos).toContainEqual(
      expect.objectContaining({
        utxoPos: (depositBlknum * 1_000_000_000n).toString(),
        amount: DEPOSIT.toString(),
        token: ETH_TOKEN,
      }),
    );
  });

  it('submits a payment signed with src/plasma and shows it in both accounts and histories', async () => {
    const from = addressOf(1);
    const to = addressOf(2);
    const account: ChildAccount = await ask('chain.account', { address: from });
    const fees = await ask('chain.fees', {});
    const ethFee = fees.find((f) => f.token === ETH_TOKEN)!;
    expect(ethFee).toMatchObject({ symbol: 'ETH', decimals: 18 });
    const tx = createPaymentTx({
      from,
      utxos: account.utxos.map((u) => ({
        utxoPos: BigInt(u.utxoPos),
        owner: u.owner as Address,
        token: u.token as Address,
        amount: BigInt(u.amount),
      })),
      payments: [{ owner: to, token: ETH_TOKEN, amount: 12345n }],
      fee: { token: ETH_TOKEN, amount: BigInt(ethFee.amount) },
      metadata: encodeMetadata('lunch money'),
    });
    const framework = normalizeAddress(app.devnet.profile.contracts.plasmaFramework);
    const signed = encodeSigned({
      tx,
      sigs: signPayment(
        tx,
        tx.inputs.map(() => keyOf(1)),
        framework,
      ),
    });
    const result = await ask('chain.submit', { transaction: bytesToHex(signed) });
    expect(result.txHash).toMatch(/^0x[0-9a-f]{64}$/);

    const received = await until('the payment in a validated block', async () => {
      const a = await ask('chain.account', { address: to });
      return a.utxos.find((u) => u.txHash === result.txHash);
    });
    expect(received).toMatchObject({
      amount: '12345',
      blknum: result.blknum,
      txindex: result.txindex,
    });

    const sent: HistoryItem[] = await ask('chain.history', { address: from });
    expect(sent[0]).toMatchObject({
      kind: 'sent',
      txHash: result.txHash,
      counterparties: [to],
      amounts: [{ token: ETH_TOKEN, amount: (-(12345n + BigInt(ethFee.amount))).toString() }],
      metadataText: 'lunch money',
    });
    expect(sent[0]!.timestamp).toBeGreaterThan(0);
    expect(sent).toContainEqual(
      expect.objectContaining({ kind: 'deposit', blknum: depositBlknum.toString() }),
    );
    const got = await ask('chain.history', { address: to });
    expect(got[0]).toMatchObject({
      kind: 'received',
      txHash: result.txHash,
      counterparties: [from],
      amounts: [{ token: ETH_TOKEN, amount: '12345' }],
    });
    expect(await ask('chain.history', { address: from, search: 'LUNCH' })).toHaveLength(1);
    expect(
      await ask('chain.history', { address: from, search: result.txHash.slice(0, 20) }),
    ).toHaveLength(1);
    expect(await ask('chain.history', { address: from, search: to.slice(2, 14) })).toHaveLength(1);
    expect(await ask('chain.history', { address: from, search: 'nothing like this' })).toEqual([]);
  });

  it('refuses a malformed signed payment and a double spend with typed errors', async () => {
    expect(await refusal('chain.submit', { transaction: '0xc0ffee' })).toMatchObject({
      code: 'malformed_transaction',
    });
    const from = addressOf(2);
    const [utxo] = (await ask('chain.account', { address: from })).utxos;
    const tx = createPaymentTx({
      from,
      utxos: [
        {
          utxoPos: BigInt(utxo!.utxoPos),
          owner: from,
          token: ETH_TOKEN,
          amount: BigInt(utxo!.amount),
        },
      ],
      payments: [{ owner: addressOf(3), token: ETH_TOKEN, amount: 1n }],
      fee: { token: ETH_TOKEN, amount: 0n },
    });
    const framework = normalizeAddress(app.devnet.profile.contracts.plasmaFramework);
    const signed = encodeSigned({ tx, sigs: signPayment(tx, [keyOf(2)], framework) });
    const error = await refusal('chain.submit', { transaction: bytesToHex(signed) });
    expect(error.code).toBe('operator_refused:fees_not_covered');
    expect(error.message).toMatch(/fee/);
  });

  it('answers the Ethereum requests and relays only what the wallet should send', async () => {
    const token = app.devnet.profile.tokens[0]!.address.toLowerCase();
    expect(await ask('eth.token', { address: token })).toMatchObject({
      address: token,
      symbol: 'VTT',
      decimals: 18,
    });
    expect(
      await refusal('eth.token', { address: app.devnet.profile.contracts.ethVault }),
    ).toMatchObject({ code: 'not_erc20' });
    expect(await refusal('eth.token', { address: '0x' + '12'.repeat(20) })).toMatchObject({
      code: 'not_erc20',
    });
    const account = await ask('eth.account', { address: addressOf(1) });
    expect(BigInt(account.eth)).toBeGreaterThan(0n);
    expect(account.tokens).toContainEqual({ token, amount: expect.stringMatching(/^[1-9]/) });
    const allowance = await ask('eth.allowance', { owner: addressOf(1), token });
    expect(allowance).toEqual({
      amount: '0',
      spender: app.devnet.profile.contracts.erc20Vault.toLowerCase(),
    });

    const approve = erc20ApproveTx(token, app.devnet.profile.contracts.erc20Vault, 5n);
    const { hash } = await ask('eth.send', { raw: await signEth(1, approve) });
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    await until(
      'the allowance',
      async () => (await ask('eth.allowance', { owner: addressOf(1), token })).amount === '5',
    );
    const deposit = depositErc20Tx(app.devnet.profile.contracts.erc20Vault, {
      owner: addressOf(1),
      token,
      amount: 5n,
    });
    const sent = await ask('eth.send', { raw: await signEth(1, deposit) });
    const progress = await until(
      'a spendable ERC20 deposit',
      async () => {
        const p = await ask('deposit.progress', { ethTxHash: sent.hash });
        return p.stage === 'spendable' ? p : undefined;
      },
      90_000,
    );
    const child = await ask('chain.account', { address: addressOf(1) });
    expect(child.utxos).toContainEqual(
      expect.objectContaining({ blknum: progress.blknum, token, amount: '5' }),
    );
    expect(child.balances).toContainEqual({ token, amount: '5' });
    expect(await ask('chain.fees', {})).toContainEqual(
      expect.objectContaining({ token, symbol: 'VTT', decimals: 18 }),
    );

    const wrongChain = await signEth(1, approve, 1);
    expect(await refusal('eth.send', { raw: wrongChain })).toMatchObject({
      code: 'transaction_refused',
      message: expect.stringMatching(/chain 1/),
    });
    const elsewhere = await signEth(1, { to: addressOf(3), data: '0x', value: 1n });
    expect(await refusal('eth.send', { raw: elsewhere })).toMatchObject({
      code: 'transaction_refused',
    });
    const unsigned = Transaction.from({
      chainId: 31337,
      to: token,
      data: approve.data,
      gasLimit: 100000,
      maxFeePerGas: 1,
      maxPriorityFeePerGas: 1,
    }).unsignedSerialized;
    expect(await refusal('eth.send', { raw: unsigned })).toMatchObject({
      code: 'invalid_transaction',
    });
    expect(await refusal('deposit.progress', { ethTxHash: '0x' + '77'.repeat(32) })).toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses chain.submit once a devnet cheat makes the chain invalid, and pushes the event', async () => {
    await callChildChain(app.devnet.profile.childChainUrl, 'devnet.cheat', {
      name: 'bad_signature',
    });
    const snap: ChainSnapshot = await until('an invalid chain', async () => {
      const s = await ask('chain.snapshot', {});
      return s.status.kind === 'invalid' ? s : undefined;
    });
    expect(snap.canSubmit).toBe(false);
    expect(snap.events).toContainEqual(
      expect.objectContaining({ kind: 'invalid_block', invalidating: true }),
    );
    const error = await refusal('chain.submit', { transaction: '0xc0ffee' });
    expect(error.code).toBe('chain_not_safe');
    expect(error.message).toMatch(/not safe.*Exit all your funds/);
    await until('the pushed event', async () =>
      events.some(
        ([n, p]) =>
          n === 'chain.event' && (p as { event: { kind: string } }).event.kind === 'invalid_block',
      ),
    );
  });

  it('pushes chain.snapshot at most four times a second however fast the watcher rounds', () => {
    // The devnet's watcher polls every 300 ms and rounds often finish sooner; pushes stay ≥ 250 ms apart.
    expect(pushedAt.length).toBeGreaterThan(3);
    const gaps = pushedAt.slice(1).map((t, i) => t - pushedAt[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(245);
  });

  it('switches networks: an unreachable profile is reported in plain words, the devnet comes back', async () => {
    const nowhere = {
      ...app.devnet.profile,
      name: 'Nowhere',
      rpcUrl: 'http://127.0.0.1:1',
      childChainUrl: 'http://127.0.0.1:1',
    };
    const added = await ask('network.add', { profile: JSON.stringify(nowhere) });
    expect(added).toMatchObject({ name: 'Nowhere', chainId: 31337, selected: false });
    const error = await refusal('network.select', { id: added.id });
    expect(error).toMatchObject({
      code: 'service_unavailable',
      message: expect.stringMatching(/could not start the network/),
    });
    expect((await ask('network.list', {})).find((n) => n.id === added.id)?.selected).toBe(true);
    expect(await refusal('chain.snapshot', {})).toMatchObject({ code: 'service_unavailable' });
    expect(app.services.devnet()).toBeUndefined();

    expect(await ask('network.select', { id: 'devnet' })).toMatchObject({
      id: 'devnet',
      selected: true,
    });
    const snap = await ask('chain.snapshot', {});
    expect(snap.network).toMatchObject({ name: app.devnet.profile.name, chainId: 31337 });
    expect(app.services.devnet()).toBeDefined();
  });
});
