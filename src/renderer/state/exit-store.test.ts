import { Transaction } from 'ethers';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  addExitQueueTx,
  challengeStandardExitTx,
  processExitsTx,
  startStandardExitTx,
  type TxRequest,
} from '../../plasma/contracts';
import type { ExitData, OutboxItem, UnsignedCall } from '../../shared/exits';
import { installFakeBridge } from '../testing/fake-bridge';
import { createVault, type UnlockedVault } from '../wallet/vault';
import { useExitStore, type Signer } from './exit-store';

const PHRASE = 'test test test test test test test test test test test junk';
const OWNER = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const FRAMEWORK = '0x1111111111111111111111111111111111111111';
const GAME = '0x2222222222222222222222222222222222222222';
const ETH = '0x0000000000000000000000000000000000000000';
const VTT = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const BOND = 14_000_000_000_000_000n;
const PROOF = '0x' + '00'.repeat(512);

let vault: UnlockedVault;
let signer: Signer;

const unsigned = (r: TxRequest, gas: string | null = '200000'): UnsignedCall => ({
  to: r.to,
  data: r.data,
  value: (r.value ?? 0n).toString(),
  gas,
});

function exitData(utxoPos: string, token = ETH, queueExists = true): ExitData {
  const txBytes = '0xc0' + utxoPos.slice(0, 2);
  const start = startStandardExitTx(GAME, {
    utxoPos: BigInt(utxoPos),
    outputTx: txBytes,
    outputTxInclusionProof: PROOF,
    bond: BOND,
  });
  const calls = [unsigned(start)];
  if (!queueExists) calls.unshift(unsigned(addExitQueueTx(FRAMEWORK, token), null));
  return {
    utxoPos,
    txBytes,
    proof: PROOF,
    root: '0x' + '33'.repeat(32),
    token,
    amount: '1000',
    bond: BOND.toString(),
    earliestProcessingAt: 1_800_000_000,
    exitsBefore: 0,
    queueExists,
    calls,
  };
}

/** Main as the store sees it: Ethereum mines each send at once; the outbox keeps its entries. */
function main(over: Record<string, (p: never) => unknown> = {}) {
  const sent: Transaction[] = [];
  const outbox: OutboxItem[] = [];
  const order: string[] = [];
  const bridge = installFakeBridge({
    'eth.account': ({ address }) => ({ address, eth: '10', tokens: [], nonce: sent.length }),
    'eth.feeData': () => ({
      chainId: 31337,
      maxFeePerGas: '2000000000',
      maxPriorityFeePerGas: '1',
    }),
    'eth.estimateGas': () => ({ gas: '90000' }),
    'eth.send': ({ raw }) => {
      const tx = Transaction.from(raw);
      sent.push(tx);
      order.push(`send:${tx.hash}`);
      return { hash: tx.hash };
    },
    'exit.data': ({ utxoPos }) => exitData(utxoPos),
    'exit.list': () => [],
    'exit.outbox.list': () => outbox,
    'exit.outbox.add': ({ address, utxoPositions }) => {
      for (const utxoPos of utxoPositions) {
        if (outbox.some((o) => o.utxoPos === utxoPos)) continue;
        outbox.push({
          id: outbox.length + 1,
          address,
          utxoPos,
          state: 'pending',
          ethTxHash: null,
          error: null,
          createdAt: 1,
          updatedAt: 1,
        });
      }
      return outbox;
    },
    'exit.outbox.markSent': ({ id, ethTxHash }) => {
      const item = outbox.find((o) => o.id === id)!;
      order.push(`mark:${ethTxHash}`);
      Object.assign(item, { state: 'sent', ethTxHash });
      return item;
    },
    'safeMode.get': () => ({ active: false, reason: null, since: null, acknowledgedAt: null }),
    ...over,
  });
  return { bridge, sent, outbox, order };
}

beforeEach(async () => {
  vault = await createVault('password123', { scryptN: 1 << 4 });
  vault.addMnemonic({ phrase: PHRASE }, 'Main');
  signer = { vault, owner: OWNER, framework: FRAMEWORK };
  useExitStore.setState({ address: OWNER, action: null, pollMs: 1, maxPolls: 20, outbox: [] });
});

describe('the exit store', () => {
  it('exits one output: opens the missing queue, then starts the exit with the bond, signed by the owner', async () => {
    const eth = main({
      'exit.data': ({ utxoPos }: { utxoPos: string }) => exitData(utxoPos, VTT, false),
    });
    await useExitStore.getState().exitOutput(signer, '2000000000');
    expect(useExitStore.getState().action).toMatchObject({ error: null, activity: null });
    expect(eth.sent.map((t) => [t.to!.toLowerCase(), t.value, t.nonce])).toEqual([
      [FRAMEWORK, 0n, 0],
      [GAME, BOND, 1],
    ]);
    expect(eth.sent.every((t) => t.from!.toLowerCase() === OWNER)).toBe(true);
    // The queue call had no estimate from main: the store asked for one.
    expect(eth.sent[0]!.gasLimit).toBe(112_500n);
  });

  it('sends nothing when main’s call differs from the one built from its own exit data', async () => {
    const eth = main({
      'exit.data': ({ utxoPos }: { utxoPos: string }) => {
        const d = exitData(utxoPos);
        d.calls[0]!.value = (BOND * 2n).toString();
        return d;
      },
    });
    await useExitStore.getState().exitOutput(signer, '2000000000');
    expect(useExitStore.getState().action?.error).toMatch(/does not match/);
    expect(eth.sent).toHaveLength(0);
  });

  it('challenges an invalid exit with the owner as sender, and processes a token’s queue', async () => {
    const challenge = challengeStandardExitTx(GAME, {
      exitId: 99n,
      exitingTx: '0x01',
      challengeTx: '0x02',
      inputIndex: 0n,
      witness: '0x' + 'ab'.repeat(65),
      sender: OWNER,
    });
    const eth = main({
      'exit.challengeData': ({ utxoPos }: { utxoPos: string }) => ({
        exitId: '99',
        utxoPos,
        exitingTx: '0x01',
        txBytes: '0x02',
        inputIndex: 0,
        sig: '0x' + 'ab'.repeat(65),
        bondReward: BOND.toString(),
        call: unsigned(challenge),
      }),
      'exit.processCall': ({ token, maxExits }: { token: string; maxExits: number }) =>
        unsigned(
          processExitsTx(FRAMEWORK, { token, topExitId: 0n, maxExitsToProcess: BigInt(maxExits) }),
        ),
    });
    await useExitStore.getState().challenge(signer, '3000000000');
    expect(eth.bridge.calls.find((c) => c.method === 'exit.challengeData')?.params).toEqual({
      utxoPos: '3000000000',
      challenger: OWNER,
    });
    expect(useExitStore.getState().action?.done).toMatch(/challenged/);
    await useExitStore.getState().process(signer, VTT, 3);
    expect(useExitStore.getState().action?.done).toMatch(/processed/);
    expect(eth.sent.map((t) => t.data)).toEqual([
      challenge.data,
      processExitsTx(FRAMEWORK, { token: VTT, topExitId: 0n, maxExitsToProcess: 3n }).data,
    ]);
  });

  it('exits everything through the outbox, recording each exit before it leaves, and never twice', async () => {
    const eth = main({
      'exit.plan': ({ address }: { address: string }) => ({
        address,
        items: [
          { utxoPos: '1000000000', token: ETH, amount: '5', alreadyExiting: false },
          { utxoPos: '2000000000', token: ETH, amount: '6', alreadyExiting: true },
          { utxoPos: '3000000000', token: ETH, amount: '7', alreadyExiting: false },
        ],
        missingQueues: [],
        totalBond: (2n * BOND).toString(),
        estimatedGas: '400000',
      }),
    });
    await useExitStore.getState().exitEverything(signer);
    expect(useExitStore.getState().action).toMatchObject({ error: null });
    expect(eth.outbox.map((o) => [o.utxoPos, o.state])).toEqual([
      ['1000000000', 'sent'],
      ['3000000000', 'sent'],
    ]);
    expect(eth.order.map((o) => o.split(':')[0])).toEqual(['mark', 'send', 'mark', 'send']);
    expect(eth.order[0]!.slice(5)).toBe(eth.order[1]!.slice(5));

    // A restart: resuming (and exit everything again) sends nothing already sent.
    await useExitStore.getState().resumeOutbox(signer, true);
    await useExitStore.getState().exitEverything(signer);
    expect(eth.sent).toHaveLength(2);
  });

  it('resumes only what was never sent after a restart, and retries a failure when asked', async () => {
    const eth = main();
    eth.outbox.push(
      {
        id: 1,
        address: OWNER,
        utxoPos: '1000000000',
        state: 'sent',
        ethTxHash: '0x' + '1'.repeat(64),
        error: null,
        createdAt: 1,
        updatedAt: 1,
      },
      {
        id: 2,
        address: OWNER,
        utxoPos: '2000000000',
        state: 'pending',
        ethTxHash: null,
        error: null,
        createdAt: 1,
        updatedAt: 1,
      },
      {
        id: 3,
        address: OWNER,
        utxoPos: '3000000000',
        state: 'failed',
        ethTxHash: null,
        error: 'reverted',
        createdAt: 1,
        updatedAt: 1,
      },
    );
    await useExitStore.getState().resumeOutbox(signer);
    expect(eth.sent).toHaveLength(1);
    expect(eth.outbox[1]!.state).toBe('sent');
    await useExitStore.getState().resumeOutbox(signer, true);
    expect(eth.sent).toHaveLength(2);
    expect(eth.outbox.map((o) => o.state)).toEqual(['sent', 'sent', 'sent']);
  });

  it('follows safe mode and the account’s exits pushed by main', async () => {
    const eth = main();
    const stop = useExitStore.getState().follow(OWNER);
    eth.bridge.emit('safeMode.changed', {
      active: true,
      reason: 'invalid_block',
      since: 5,
      acknowledgedAt: null,
    });
    expect(useExitStore.getState().safeMode?.active).toBe(true);
    const view = { ...exitData('1000000000'), exitId: '7' };
    eth.bridge.emit('exit.changed', {
      exit: {
        exitId: view.exitId,
        utxoPos: view.utxoPos,
        owner: '0x' + '99'.repeat(20),
        token: ETH,
        amount: '1',
        state: 'started',
        ethTxHash: '0x' + '1'.repeat(64),
        ethHeight: 1,
        exitableAt: 1,
        queuePosition: 0,
        exitsBefore: 0,
        invalid: false,
      },
    });
    expect(useExitStore.getState().exits).toEqual([]);
    stop();
  });
});
