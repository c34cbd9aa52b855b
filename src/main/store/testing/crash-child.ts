// The process crash.test.ts kills: applies the synthetic chain to a database file, resuming from
// whatever the store already holds, and reports each step it applies on stdout. Run with `node --import tsx`.
//   crash-child.ts <db path> <seed> <heights> <txs per block>
import { WatcherStore } from '../store';
import { TEST_DEPLOYMENT, applyStep, syntheticChain } from './synthetic';

const [path, seed, heights, txPerBlock] = process.argv.slice(2);
if (!path || !seed || !heights || !txPerBlock) {
  console.error('usage: crash-child.ts <db path> <seed> <heights> <txs per block>');
  process.exit(2);
}

const store = WatcherStore.open(path);
store.assertDeployment(TEST_DEPLOYMENT);
process.stdout.write(`resume ${store.lastAppliedBlock()}\n`);
for (const step of syntheticChain({
  seed: Number(seed),
  heights: Number(heights),
  txPerBlock: Number(txPerBlock),
})) {
  if (store.lastAppliedBlock() >= step.block.block.blknum) continue;
  applyStep(store, step);
  process.stdout.write(`applied ${step.ethHeight}\n`);
}
store.close();
process.stdout.write('done\n');
