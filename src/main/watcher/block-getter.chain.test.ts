// The block getter against the real devnet: honest blocks validate and apply (and a restarted getter
// on the same store continues), each block cheat of the operator gives the right event with the
// right details within a bounded number of polls while the honest blocks before it stay applied,
// and an operator that goes down is reported, then caught up with.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevnet, type Devnet } from '../../../devnet/network';
import { devnetProvider } from '../../../devnet/operator/root-chain';
import { startOperatorServer } from '../../../devnet/operator/server';
import type { BlockCheat } from '../../../devnet/operator/cheats';
import { blocksCall, plasmaFrameworkInterface } from '../../plasma/contracts';
import { normalizeAddress } from '../../plasma/hex';
import type { Address } from '../../plasma/types';
import { createRecoveryPool, type RecoveryPool } from '../crypto';
import { WatcherStore } from '../store';
import { BlockGetter, POTENTIAL_WITHHOLDING } from './block-getter';
import { ChildChainClient } from './child-chain-client';
import { watcherConfigFor } from './config';
import { openDeployment } from './deployment';
import { EthereumReader } from './ethereum';
import { EthereumFollower } from './follower';
import type { BlockGetterProgress } from './types';

const DEPOSIT_MARGIN = 2;
const MAX_POLLS = 60;

let dir: string;
let pool: RecoveryPool;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-getter-chain-'));
  pool = createRecoveryPool({ threads: 2, warn: () => undefined });
});
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Setup {
  devnet: Devnet;
  provider: JsonRpcProvider;
  reader: EthereumReader;
  client: ChildChainClient;
}

async function devnetFor(name: string): Promise<Setup> {
  const devnet = await startDevnet({
    dataDir: join(dir, name),
    fresh: true,
    // Blocks are formed by the tests (formAndSubmit), not by the timer.
    blockIntervalMs: 3_600_000,
    depositFinalityMargin: DEPOSIT_MARGIN,
    ethBlockMs: 250,
  });
  const { profile } = devnet;
  const c = profile.contracts;
  return {
    devnet,
    provider: devnetProvider(devnet.anvil.rpcUrl),
    reader: new EthereumReader({
      rpcUrl: profile.rpcUrl,
      chainId: BigInt(profile.chainId),
      contracts: {
        plasmaFramework: normalizeAddress(c.plasmaFramework),
        ethVault: normalizeAddress(c.ethVault),
        erc20Vault: normalizeAddress(c.erc20Vault),
        paymentExitGame: normalizeAddress(c.paymentExitGame),
        childBlockInterval: BigInt(profile.childBlockInterval),
      },
      requestTimeoutMs: 10_000,
    }),
    client: new ChildChainClient({
      url: devnet.server.url,
      timeoutMs: 10_000,
      maxResponseBytes: 64 << 20,
    }),
  };
}

async function stop(s: Setup): Promise<void> {
  s.reader.close();
  s.provider.destroy();
  await s.devnet.stop();
}

function getterOn(s: Setup, store: WatcherStore, maximumBlockWithholdingMs = 60_000): BlockGetter {
  return new BlockGetter(
    store,
    s.client,
    pool,
    { maxConcurrentDownloads: 2, maxUnappliedBlocks: 8, maximumBlockWithholdingMs },
    {
      verifyingContract: normalizeAddress(s.devnet.profile.contracts.plasmaFramework),
      childBlockInterval: 1000n,
    },
  );
}

/** The real Ethereum follower on `store`, bound to the devnet's deployment. */
async function followerFor(s: Setup, store: WatcherStore): Promise<EthereumFollower> {
  const deployment = await openDeployment(s.devnet.profile, s.reader, store);
  return new EthereumFollower(store, s.reader, deployment, watcherConfigFor(s.devnet.profile));
}

/**
 * Rounds of the watcher (follower, then getter) until `done`, at most MAX_POLLS; returns the last
 * progress of the getter.
 */
async function pollUntil(
  s: Setup,
  store: WatcherStore,
  getter: BlockGetter,
  done: (p: BlockGetterProgress) => boolean,
): Promise<BlockGetterProgress> {
  const follower = await followerFor(s, store);
  let progress = getter.progress();
  for (let i = 0; i < MAX_POLLS; i++) {
    const ethereum = await follower.poll();
    if (ethereum.error) throw new Error(`the follower failed: ${ethereum.error}`);
    progress = await getter.poll();
    if (done(progress)) return progress;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `not done after ${MAX_POLLS} polls: ${JSON.stringify(progress, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
  );
}

/** The operator pays itself from one of its outputs and forms a block; returns its number. */
async function honestBlock(s: Setup): Promise<bigint> {
  const { operator } = s.devnet;
  const ownOutput = () =>
    operator.chain.utxosOf(operator.address).find((u) => u.utxo.outputType === 1n);
  // Right after the start the operator's deposit is not yet final: wait for its link to see it.
  for (let i = 0; i < 200 && !ownOutput(); i++) await new Promise((r) => setTimeout(r, 100));
  const own = ownOutput();
  if (!own) throw new Error('the operator has no output');
  await operator.chain.submitOwn(own.utxoPos, own.utxo, operator.fees.get(own.utxo.token) ?? 0n);
  const block = await operator.formAndSubmit();
  return block!.blknum;
}

const openEvents = (store: WatcherStore, kind: string) =>
  store.byzantineEvents().filter((e) => e.kind === kind);

describe('BlockGetter on the devnet', () => {
  it('validates honest blocks and continues after a restart on the same store', async () => {
    const s = await devnetFor('honest');
    const file = join(dir, 'honest.sqlite');
    try {
      await honestBlock(s);
      await honestBlock(s);
      let store = WatcherStore.open(file);
      await pollUntil(s, store, getterOn(s, store), (p) => p.lastAppliedBlock === 2000n);
      expect(store.getBlock(1000n)?.txCount).toBe(1);
      store.close();

      const third = await honestBlock(s);
      store = WatcherStore.open(file);
      const restarted = getterOn(s, store);
      const progress = await pollUntil(s, store, restarted, (p) => p.lastAppliedBlock === third);
      expect(progress).toMatchObject({ halted: false, appliedBlocks: 1, error: undefined });
      const [out] = store.utxosOf(s.devnet.operator.address);
      expect(out?.utxoPos).toBe(third * 1_000_000_000n);
      expect(store.byzantineEvents()).toEqual([]);
      store.close();
    } finally {
      await stop(s);
    }
  });

  const EXPECTED: Record<
    Exclude<BlockCheat, 'withhold_block'>,
    { error_type: string; reason?: string }
  > = {
    bad_signature: { error_type: 'tx_execution', reason: 'unauthorized_spend' },
    unknown_output: { error_type: 'tx_execution', reason: 'utxo_not_found' },
    double_spend_across_blocks: { error_type: 'tx_execution', reason: 'utxo_not_found' },
    double_spend_in_tx: { error_type: 'duplicate_inputs' },
    outputs_exceed_inputs: { error_type: 'tx_execution', reason: 'amounts_do_not_add_up' },
    malformed_transaction: { error_type: 'malformed_transaction_rlp' },
    root_mismatch: { error_type: 'incorrect_hash' },
  };

  it.each(Object.entries(EXPECTED))(
    'reports %s as invalid_block and keeps the honest block before it',
    async (cheat, expected) => {
      const s = await devnetFor(cheat);
      const store = WatcherStore.open(':memory:');
      try {
        const honest = await honestBlock(s);
        await s.devnet.operator.cheat(cheat as BlockCheat);
        // root_mismatch serves the block without its last transaction: give it one to lose.
        const bad =
          cheat === 'root_mismatch'
            ? await honestBlock(s)
            : (await s.devnet.operator.formAndSubmit())!.blknum;
        expect(bad).toBe(honest + 1000n);
        const progress = await pollUntil(s, store, getterOn(s, store), (p) => p.halted);
        expect(progress.lastAppliedBlock).toBe(honest);
        expect(store.getBlock(honest)?.txCount).toBe(1);
        const [event, ...others] = openEvents(store, 'invalid_block');
        expect(others).toEqual([]);
        expect(event!.details).toMatchObject({
          name: 'invalid_block',
          blknum: bad,
          hash: (await rootOf(s, bad)).toLowerCase(),
          ...expected,
        });
      } finally {
        store.close();
        await stop(s);
      }
    },
  );

  it('reports withhold_block as block_withholding once the withholding time has passed', async () => {
    const s = await devnetFor('withhold');
    const store = WatcherStore.open(':memory:');
    try {
      const honest = await honestBlock(s);
      await s.devnet.operator.cheat('withhold_block');
      const withheld = await honestBlock(s);
      const getter = getterOn(s, store, 1_500);
      const first = await pollUntil(s, store, getter, (p) => p.error !== undefined);
      expect(first.halted).toBe(false);
      expect(first.lastAppliedBlock).toBe(honest);
      expect(openEvents(store, POTENTIAL_WITHHOLDING)).toHaveLength(1);
      const progress = await pollUntil(s, store, getter, (p) => p.halted);
      expect(progress.lastAppliedBlock).toBe(honest);
      expect(openEvents(store, 'block_withholding')[0]?.details).toEqual({
        name: 'block_withholding',
        blknum: withheld,
        hash: (await rootOf(s, withheld)).toLowerCase(),
      });
      expect(openEvents(store, 'invalid_block')).toEqual([]);
    } finally {
      store.close();
      await stop(s);
    }
  });

  it('reports an operator that is down, then catches up when it is back', async () => {
    const s = await devnetFor('down');
    const store = WatcherStore.open(':memory:');
    try {
      await honestBlock(s);
      const getter = getterOn(s, store);
      await pollUntil(s, store, getter, (p) => p.lastAppliedBlock === 1000n);
      const port = s.devnet.server.port;
      await s.devnet.server.close();
      const missed = await honestBlock(s);
      const down = await pollUntil(s, store, getter, (p) => p.error !== undefined);
      expect(down.error).toMatch(/refused the connection/);
      expect(down).toMatchObject({ halted: false, lastAppliedBlock: 1000n });
      const back = await startOperatorServer(s.devnet.operator, port);
      try {
        const progress = await pollUntil(s, store, getter, (p) => p.lastAppliedBlock === missed);
        expect(progress.error).toBeUndefined();
        expect(openEvents(store, POTENTIAL_WITHHOLDING)).toEqual([]);
        expect(store.byzantineEvents()).toEqual([]);
      } finally {
        await back.close();
      }
    } finally {
      store.close();
      await stop(s);
    }
  });
});

async function rootOf(s: Setup, blknum: bigint): Promise<Address> {
  const [root] = plasmaFrameworkInterface.decodeFunctionResult(
    'blocks',
    await s.provider.call(blocksCall(s.devnet.profile.contracts.plasmaFramework, blknum)),
  ) as unknown as [Address];
  return root;
}
