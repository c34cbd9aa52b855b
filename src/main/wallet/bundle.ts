// The offline proof bundle (docs/exit-bundle.md): for one account, every exitable own output with
// what startStandardExit needs, the root it proves against and the Ethereum transaction that
// submitted that root, plus the contracts and chain id. With it the funds leave without the operator
// and without the watcher's database. Import verifies every proof against the roots read from
// Ethereum (`blocks(blknum)`) before accepting anything, and names every bad entry.
import { join } from 'node:path';
import { z } from 'zod';
import { blocksCall, decodeBlockResult } from '../../plasma/contracts';
import { hexToBytes } from '../../plasma/hex';
import { verifyInclusion } from '../../plasma/merkle';
import { decodeUtxoPos } from '../../plasma/position';
import { decodePayment } from '../../plasma/tx';
import type { Address, Hex } from '../../plasma/types';
import type { BundleImportReport } from '../../shared/exits';
import type { NetworkProfile } from '../../shared/network-profile';
import type { WatcherStore } from '../store';
import type { ExitDataResult, ExitProcessor } from '../watcher/exit-processor';
import type { ImportedExitData } from './exits';
import { readJsonState, writeJsonState } from './files';

export const BUNDLE_FORMAT = 'vigil-exit-bundle';
export const BUNDLE_VERSION = 1;

const hex = z.string().regex(/^0x(?:[0-9a-f]{2})*$/i);
const word = z.string().regex(/^0x[0-9a-f]{64}$/i);
const addr = z.string().regex(/^0x[0-9a-f]{40}$/i);
const dec = z.string().regex(/^(?:0|[1-9][0-9]{0,77})$/);

const entrySchema = z
  .object({
    utxoPos: dec,
    owner: addr,
    token: addr,
    amount: dec,
    txBytes: hex.max(2 + 2 * 16 * 1024),
    proof: hex.max(2 + 2 * 1024),
    root: word,
    rootSubmission: z
      .object({ ethTxHash: word.nullable(), ethHeight: z.number().int().min(0) })
      .strict(),
  })
  .strict();
export type BundleEntry = z.infer<typeof entrySchema>;

const bundleSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    chainId: z.number().int(),
    contracts: z
      .object({ plasmaFramework: addr, paymentExitGame: addr, ethVault: addr, erc20Vault: addr })
      .strict(),
    account: addr,
    createdAt: z.number(),
    entries: z.array(z.unknown()).max(10_000),
  })
  .strict();

function plasmaContracts(profile: NetworkProfile) {
  const c = profile.contracts;
  return {
    plasmaFramework: c.plasmaFramework.toLowerCase(),
    paymentExitGame: c.paymentExitGame.toLowerCase(),
    ethVault: c.ethVault.toLowerCase(),
    erc20Vault: c.erc20Vault.toLowerCase(),
  };
}

/** Where the root of `blknum` was submitted on Ethereum, from the store's records. */
function rootSubmission(store: WatcherStore, blknum: bigint): BundleEntry['rootSubmission'] {
  const deposit = store.getDeposit(blknum);
  if (deposit) return { ethTxHash: deposit.ethTxHash, ethHeight: deposit.ethHeight };
  const block = store.getBlock(blknum);
  if (!block) return { ethTxHash: null, ethHeight: 0 };
  const submitted = store
    .events({
      names: ['BlockSubmitted'],
      fromEthHeight: block.ethHeight,
      toEthHeight: block.ethHeight,
    })
    .find((e) => e.args['blknum'] === blknum);
  return { ethTxHash: submitted?.ethTxHash ?? null, ethHeight: block.ethHeight };
}

/** The bundle of `account`: every unspent own output the store can prove. */
export function exportBundle(
  account: Address,
  store: WatcherStore,
  exits: ExitProcessor,
  profile: NetworkProfile,
  now: number = Date.now(),
): { json: string; entries: number } {
  const entries: BundleEntry[] = [];
  for (const output of store.utxosOf(account)) {
    let d: ExitDataResult;
    try {
      d = exits.exitData(output.utxoPos);
    } catch {
      continue;
    }
    entries.push({
      utxoPos: d.utxoPos.toString(),
      owner: d.owner.toLowerCase(),
      token: d.token.toLowerCase(),
      amount: d.amount.toString(),
      txBytes: d.txBytes,
      proof: d.proof,
      root: d.root,
      rootSubmission: rootSubmission(store, decodeUtxoPos(d.utxoPos).blknum),
    });
  }
  const bundle = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    chainId: profile.chainId,
    contracts: plasmaContracts(profile),
    account: account.toLowerCase(),
    createdAt: now,
    entries,
  };
  return { json: JSON.stringify(bundle, null, 2) + '\n', entries: entries.length };
}

/** Reads `blocks(blknum).root` from the framework on Ethereum. */
export type RootReader = (blknum: bigint) => Promise<Hex>;

export function frameworkRootReader(
  profile: NetworkProfile,
  call: (request: { to: string; data: string }) => Promise<string>,
): RootReader {
  return async (blknum) =>
    decodeBlockResult(await call(blocksCall(profile.contracts.plasmaFramework, blknum))).root;
}

/** Why an entry cannot be used, or null: its proof against Ethereum's root, and its output. */
async function entryProblem(
  e: BundleEntry,
  account: string,
  roots: RootReader,
): Promise<string | null> {
  if (e.owner.toLowerCase() !== account)
    return `it belongs to ${e.owner}, not to the bundle's account ${account}`;
  const pos = BigInt(e.utxoPos);
  let parts;
  try {
    parts = decodeUtxoPos(pos);
  } catch {
    return 'its position is not a valid output position';
  }
  let root: Hex;
  try {
    root = await roots(parts.blknum);
  } catch (error) {
    return `Ethereum could not be asked for the root of block ${parts.blknum} (${error instanceof Error ? error.message : String(error)})`;
  }
  if (/^0x0{64}$/.test(root))
    return `Ethereum has no block ${parts.blknum} (wrong chain or contracts?)`;
  if (root.toLowerCase() !== e.root.toLowerCase())
    return `its root ${e.root} is not the root ${root} Ethereum holds for block ${parts.blknum}`;
  let proves = false;
  try {
    proves = verifyInclusion(
      hexToBytes(e.txBytes),
      parts.txindex,
      hexToBytes(root),
      hexToBytes(e.proof),
    );
  } catch {
    proves = false;
  }
  if (!proves)
    return `its proof does not lead from the transaction to the root of block ${parts.blknum}`;
  let output;
  try {
    output = decodePayment(hexToBytes(e.txBytes)).outputs[Number(parts.oindex)];
  } catch {
    return 'its transaction cannot be decoded';
  }
  if (!output) return `its transaction has no output ${parts.oindex}`;
  if (
    output.outputGuard.toLowerCase() !== e.owner.toLowerCase() ||
    output.token.toLowerCase() !== e.token.toLowerCase() ||
    output.amount.toString() !== e.amount
  )
    return 'its owner, token or amount differ from the output in its transaction';
  return null;
}

/** Verifies a bundle's text; accepted entries come back with the report. */
export async function verifyBundle(
  text: string,
  profile: NetworkProfile,
  roots: RootReader,
): Promise<{ report: BundleImportReport; accepted: BundleEntry[] }> {
  const refuse = (reason: string) => ({
    report: { accepted: [], rejected: [{ entry: 'bundle', reason }] },
    accepted: [],
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return refuse('the file is not JSON');
  }
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success)
    return refuse(`the file is not a Vigil exit bundle (version ${BUNDLE_VERSION})`);
  const b = parsed.data;
  if (b.chainId !== profile.chainId)
    return refuse(`it is for chain ${b.chainId}, but ${profile.name} is chain ${profile.chainId}`);
  const mine = plasmaContracts(profile);
  for (const [name, address] of Object.entries(mine))
    if (b.contracts[name as keyof typeof mine].toLowerCase() !== address)
      return refuse(
        `its ${name} ${b.contracts[name as keyof typeof mine]} is not this network's ${address}`,
      );
  const report: BundleImportReport = { accepted: [], rejected: [] };
  const accepted: BundleEntry[] = [];
  const account = b.account.toLowerCase();
  for (const [i, raw] of b.entries.entries()) {
    const entry = entrySchema.safeParse(raw);
    const name = entry.success
      ? entry.data.utxoPos
      : String((raw as { utxoPos?: unknown } | null)?.utxoPos ?? `entry ${i}`).slice(0, 40);
    if (!entry.success) {
      report.rejected.push({ entry: name, reason: 'it is missing fields or has malformed ones' });
      continue;
    }
    const problem = await entryProblem(entry.data, account, roots);
    if (problem) report.rejected.push({ entry: name, reason: problem });
    else {
      report.accepted.push(name);
      accepted.push(entry.data);
    }
  }
  return { report, accepted };
}

const storedSchema = z.object({ version: z.literal(1), entries: z.array(entrySchema) }).strict();

/** The verified entries of imported bundles, per network: exit data when the store has none. */
export class ImportedBundles implements ImportedExitData {
  readonly path: string;

  constructor(dataDir: string, networkId: string) {
    this.path = join(dataDir, `exit-bundles-${networkId}.json`);
  }

  private load(): BundleEntry[] {
    return readJsonState(this.path, storedSchema, { version: 1, entries: [] }).entries;
  }

  add(entries: readonly BundleEntry[]): void {
    const byPos = new Map(this.load().map((e) => [e.utxoPos, e]));
    for (const e of entries) byPos.set(e.utxoPos, e);
    writeJsonState(this.path, { version: 1, entries: [...byPos.values()] });
  }

  private result(e: BundleEntry): ExitDataResult {
    return {
      utxoPos: BigInt(e.utxoPos),
      txBytes: e.txBytes.toLowerCase() as Hex,
      proof: e.proof.toLowerCase() as Hex,
      root: e.root.toLowerCase() as Hex,
      token: e.token.toLowerCase() as Address,
      amount: BigInt(e.amount),
      owner: e.owner.toLowerCase() as Address,
    };
  }

  get(utxoPos: bigint): ExitDataResult | undefined {
    const e = this.load().find((x) => x.utxoPos === utxoPos.toString());
    return e ? this.result(e) : undefined;
  }

  all(owner: Address): ExitDataResult[] {
    return this.load()
      .filter((e) => e.owner.toLowerCase() === owner.toLowerCase())
      .map((e) => this.result(e));
  }
}
