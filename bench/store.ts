// How fast the watcher's store takes a full block: 65,536 transactions of 1–4 inputs and 1–4 outputs
// applied in one SQLite transaction with prepared statements, to a file on disk with synchronous=FULL,
// beside a naive baseline measured in the same run (every row its own autocommitted transaction, as
// code that forgets the transaction would do) on a 5,000-transaction sample, extrapolated.
// Run alone with `npx tsx bench/store.ts`; `npm run bench` runs it through bench/run.ts.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitPosition } from '../src/main/store/codec';
import { WatcherStore } from '../src/main/store/store';
import { Rng, syntheticBlock, type SyntheticBlock } from '../src/main/store/testing/synthetic';

const FULL_BLOCK = 65_536;
const SAMPLE = 5_000;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function perSecond(count: number, ms: number): string {
  return `${Math.round(count / (ms / 1000)).toLocaleString('en-US')}/s`;
}

/** Rows a block writes: the block, its transactions, a spend record per input, a row per output. */
function rowsOf(b: SyntheticBlock): number {
  return 1 + b.block.transactions.length + b.effects.spent.length + b.effects.created.length;
}

/** A fresh store holding one funding block whose outputs (4 per tx) the measured block will spend. */
function funded(dir: string, name: string, rng: Rng): { store: WatcherStore; pool: bigint[] } {
  const store = WatcherStore.open(join(dir, name));
  const pool: bigint[] = [];
  const funding = syntheticBlock(rng, 1000n, 1, FULL_BLOCK, pool, {
    maxInputs: 0,
    minOutputs: 4,
    maxOutputs: 4,
  });
  store.applyBlock(funding.block, funding.effects, { block_getter: 1 });
  return { store, pool };
}

/**
 * The store's writes for one block, but each statement autocommitted: one transaction (and with
 * synchronous=FULL one fsync) per row. Same SQL as the store, so only the batching differs.
 */
function applyNaively(db: Database.Database, b: SyntheticBlock): void {
  const blknum = Number(b.block.blknum);
  const hex = (h: string): Buffer => Buffer.from(h.slice(2), 'hex');
  db.prepare(
    'INSERT INTO blocks (blknum, hash, eth_height, timestamp, tx_count) VALUES (?, ?, ?, ?, ?)',
  ).run(
    blknum,
    hex(b.block.hash),
    b.block.ethHeight,
    b.block.timestamp,
    b.block.transactions.length,
  );
  const insertTx = db.prepare(
    'INSERT INTO transactions (blknum, txindex, txhash, signed_bytes, tx_bytes) VALUES (?, ?, ?, ?, ?)',
  );
  const spend = db.prepare(
    `INSERT INTO spends (blknum, txindex, oindex, spent_by, spending_blknum, spending_txindex)
     VALUES (?, ?, ?, 'tx', ?, ?)`,
  );
  const insertOutput = db.prepare(
    `INSERT INTO outputs (blknum, txindex, oindex, output_type, owner, token, amount, creating_txhash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const tx of b.block.transactions)
    insertTx.run(blknum, tx.txindex, hex(tx.txHash), tx.signedBytes, tx.txBytes);
  for (const s of b.effects.spent) {
    const [pb, pt, po] = splitPosition(s.utxoPos)!;
    spend.run(pb, pt, po, blknum, s.txindex);
  }
  for (const o of b.effects.created) {
    const [pb, pt, po] = splitPosition(o.utxoPos)!;
    insertOutput.run(
      pb,
      pt,
      po,
      o.outputType,
      hex(o.owner),
      hex(o.token),
      o.amount.toString(),
      hex(o.txHash),
    );
  }
}

export function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-store-bench-'));
  try {
    // The store: a full block. Each lookup pass gets a fresh connection (an empty SQLite page
    // cache; the OS file cache is warm for both), so neither profits from the other's reads.
    const rng = new Rng(2026);
    const path = join(dir, 'store.db');
    const funding = funded(dir, 'store.db', rng);
    const block = syntheticBlock(rng, 2000n, 2, FULL_BLOCK, funding.pool);
    const inputs = block.effects.spent.length;
    const outputs = block.effects.created.length;
    funding.store.close();

    // What the executor does: look up every input in the block's order (UtxoLookup.getUtxo).
    let store = WatcherStore.open(path);
    let t = performance.now();
    for (const s of block.effects.spent)
      if (!store.getUtxo(s.utxoPos)) throw new Error('missing input');
    const lookupMs = performance.now() - t;
    store.close();

    // The same, batched in position order (what a validator can prefetch before executing).
    store = WatcherStore.open(path);
    t = performance.now();
    const prefetched = store.getUtxos(block.effects.spent.map((s) => s.utxoPos));
    const batchMs = performance.now() - t;
    if (prefetched.size !== inputs) throw new Error('missing input');

    t = performance.now();
    store.applyBlock(block.block, block.effects, { block_getter: 2 });
    const applyMs = performance.now() - t;
    const rows = rowsOf(block);
    const sqlite = store.db.prepare('SELECT sqlite_version()').pluck().get() as string;
    store.close();

    // The baseline: a 5,000-transaction sample, every row autocommitted.
    const rng2 = new Rng(2026);
    const naive = funded(dir, 'naive.db', rng2);
    const sample = syntheticBlock(rng2, 2000n, 2, SAMPLE, naive.pool);
    t = performance.now();
    applyNaively(naive.store.db, sample);
    const naiveMs = performance.now() - t;
    const naiveRows = rowsOf(sample);
    naive.store.close();
    const naiveFullMs = (naiveMs / naiveRows) * rows;

    console.log(
      `store: one block of ${FULL_BLOCK.toLocaleString('en-US')} txs (${inputs.toLocaleString('en-US')} ` +
        `inputs, ${outputs.toLocaleString('en-US')} outputs; ${rows.toLocaleString('en-US')} rows), ` +
        `file on disk, WAL, synchronous=FULL, SQLite ${sqlite}, Node ${process.versions.node}`,
    );
    console.log(
      `  getUtxo for every input            ${seconds(lookupMs).padStart(10)}   ${perSecond(inputs, lookupMs)} lookups`,
    );
    console.log(
      `  getUtxos, all inputs sorted        ${seconds(batchMs).padStart(10)}   ${perSecond(inputs, batchMs)} lookups`,
    );
    console.log(
      `  applyBlock (one transaction)       ${seconds(applyMs).padStart(10)}   ${perSecond(rows, applyMs)} rows`,
    );
    console.log(
      `  baseline: autocommit per row       ${seconds(naiveFullMs).padStart(10)}   ${perSecond(naiveRows, naiveMs)} rows ` +
        `(measured on ${SAMPLE.toLocaleString('en-US')} txs = ${naiveRows.toLocaleString('en-US')} rows in ` +
        `${seconds(naiveMs)}, extrapolated)`,
    );
    console.log(`  speed-up over the baseline         ${(naiveFullMs / applyMs).toFixed(0)}×`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
