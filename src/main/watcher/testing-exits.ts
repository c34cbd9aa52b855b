// Test fixture for exits without a chain: a store with Alice's deposits 1 (100 wei) and 2 (50 wei),
// and block 1000 where Alice pays all of deposit 1 to Bob, validated and applied like the getter does.
import { jsRecoverer } from '../../plasma/recover';
import { ETH_TOKEN, type Hex } from '../../plasma/types';
import { WatcherStore } from '../store';
import { tempDir, type TempDir } from '../store/testing/tmp';
import { validateBlock } from './block-validator';
import { ExitProcessor, type ExitChainReader } from './exit-processor';
import { ALICE, BOB, CONTRACT, pay, pos, servedBlock } from './testing-blocks';

export const FIXTURE_MEP = 100;
export const FIXTURE_SLA = 10;

export const fixtureReader: ExitChainReader = {
  blockTimestamp: (h) => Promise.resolve(1_700_000_000 + h),
  childBlockTimestamp: () => Promise.resolve(1_700_000_000),
};

export const hash32 = (n: number): Hex => `0x${n.toString(16).padStart(64, '0')}` as Hex;

export interface ExitFixture {
  tmp: TempDir;
  store: WatcherStore;
  /** Block 1000's only transaction (signed): spends deposit 1. */
  spendingTx: Uint8Array;
  processor(): ExitProcessor;
  close(): void;
}

export async function exitFixture(): Promise<ExitFixture> {
  const tmp = tempDir('vigil-exits-');
  const store = WatcherStore.open(tmp.file());
  store.applyDeposits(
    [1n, 2n].map((blknum) => ({
      blknum,
      owner: ALICE,
      token: ETH_TOKEN,
      amount: blknum === 1n ? 100n : 50n,
      ethHeight: 5,
      ethTxHash: hash32(Number(blknum)),
      logIndex: Number(blknum),
    })),
  );
  const spendingTx = pay([pos(1n)], [[BOB, 100n]], [ALICE]);
  const { request, response } = servedBlock(1000n, [spendingTx], 8);
  const valid = await validateBlock(request, response, {
    verifyingContract: CONTRACT,
    recoverer: jsRecoverer,
    utxos: store,
  });
  if (!valid.ok) throw new Error(valid.message);
  store.applyBlock(valid.block, valid.effects);
  store.recordEvents([
    {
      name: 'BlockSubmitted',
      ethHeight: 8,
      logIndex: 0,
      ethTxHash: hash32(8),
      args: { blknum: 1000n, root: request.hash, timestamp: request.timestamp },
    },
  ]);
  return {
    tmp,
    store,
    spendingTx,
    processor: () =>
      new ExitProcessor(store, fixtureReader, {
        childBlockInterval: 1000n,
        minExitPeriod: FIXTURE_MEP,
        slaMargin: FIXTURE_SLA,
      }),
    close: () => {
      store.close();
      tmp.remove();
    },
  };
}
