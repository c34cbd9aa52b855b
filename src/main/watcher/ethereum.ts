// The watcher's reader of the root chain (spec/watcher.md §1.3.1–§1.3.2): heights, block hashes,
// the framework's and exit game's getters at a given height, and every watched event of the four
// contracts in one `eth_getLogs` per range, decoded into plain records. It speaks raw JSON-RPC and
// checks every answer, so a broken or hostile node gives a RootChainError in plain words, never a
// crash or a silently wrong record.
import {
  FetchRequest,
  JsonRpcProvider,
  Network,
  type Interface,
  type LogDescription,
  type ParamType,
} from 'ethers';
import {
  blocksCall,
  decodeBlockResult,
  decodeStandardExitsResult,
  decodeUintResult,
  ethVaultInterface,
  nextChildBlockCall,
  paymentExitGameInterface,
  plasmaFrameworkInterface,
  standardExitsCall,
  type CallRequest,
  type StandardExitRecord,
} from '../../plasma/contracts';
import { hexToBytes, isHex, keccakHex, normalizeAddress } from '../../plasma/hex';
import { standardExitId } from '../../plasma/ids';
import { decodeUtxoPos, isDepositBlknum } from '../../plasma/position';
import type { Address, Hex } from '../../plasma/types';
import type { Deployment } from './types';

export type RootChainErrorCode =
  /** The node did not answer (refused, reset, timed out). */
  | 'ethereum_unreachable'
  /** The node answered with a JSON-RPC error. */
  | 'ethereum_rpc_error'
  /** The node answered something that is not what the protocol allows. */
  | 'ethereum_bad_response';

export class RootChainError extends Error {
  constructor(
    readonly code: RootChainErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RootChainError';
  }
}

/** The exit-game events of §1.3.2, recorded raw for the exit processor. */
export const EXIT_GAME_EVENTS = [
  'ExitStarted',
  'ExitFinalized',
  'ExitChallenged',
  'InFlightExitStarted',
  'InFlightExitDeleted',
  'InFlightExitInputPiggybacked',
  'InFlightExitOutputPiggybacked',
  'InFlightExitChallenged',
  'InFlightExitChallengeResponded',
  'InFlightExitInputBlocked',
  'InFlightExitOutputBlocked',
  'InFlightExitInputWithdrawn',
  'InFlightExitOutputWithdrawn',
] as const;

export type ExitGameEventName = (typeof EXIT_GAME_EVENTS)[number];
export type WatchedEventName = 'DepositCreated' | 'BlockSubmitted' | ExitGameEventName;

type ContractRole = 'plasmaFramework' | 'ethVault' | 'erc20Vault' | 'paymentExitGame';

interface WatchedEvent {
  name: WatchedEventName;
  iface: Interface;
  /** The contracts allowed to emit it (a log from another address is refused). */
  emitters: readonly ContractRole[];
}

const WATCHED: readonly WatchedEvent[] = [
  { name: 'DepositCreated', iface: ethVaultInterface, emitters: ['ethVault', 'erc20Vault'] },
  { name: 'BlockSubmitted', iface: plasmaFrameworkInterface, emitters: ['plasmaFramework'] },
  ...EXIT_GAME_EVENTS.map((name): WatchedEvent => ({
    name,
    iface: paymentExitGameInterface,
    emitters: ['paymentExitGame'],
  })),
];

const BY_TOPIC = new Map(WATCHED.map((e) => [e.iface.getEvent(e.name)!.topicHash, e]));

/** topic0 of every watched event, in the order of §1.3.2. */
export const WATCHED_TOPICS: readonly Hex[] = [...BY_TOPIC.keys()] as Hex[];

/** A decoded log. `args` holds the event's parameters by their ABI names: uints as bigint, addresses and bytes as lowercase hex. */
export interface RootChainLog {
  name: WatchedEventName;
  address: Address;
  ethHeight: number;
  logIndex: number;
  ethTxHash: Hex;
  blockHash: Hex;
  args: Record<string, unknown>;
}

export interface BlockHeader {
  height: number;
  hash: Hex;
  parentHash: Hex;
  /** Seconds. */
  timestamp: number;
}

export interface TransactionReceiptInfo {
  blockNumber: number;
  contractAddress: Address | undefined;
  status: boolean;
}

/** A height as a JSON-RPC block tag. */
export type BlockTag = number | 'latest';

/** What the follower and the deployment check need from Ethereum; the tests substitute a fake. */
export interface RootChainReader {
  chainId(): Promise<bigint>;
  head(): Promise<BlockHeader>;
  /** The block at `height`, or undefined if the node has none there (the chain got shorter). */
  block(height: number): Promise<BlockHeader | undefined>;
  /** Whether the node is itself still catching up (`eth_syncing` not false). */
  syncing(): Promise<boolean>;
  /** Every watched log of the deployment's contracts in [from, to], in chain order; removed logs are dropped. */
  logs(from: number, to: number): Promise<RootChainLog[]>;
  call(request: CallRequest, tag?: BlockTag): Promise<Hex>;
  receipt(txHash: Hex): Promise<TransactionReceiptInfo | undefined>;
  nextChildBlock(tag?: BlockTag): Promise<bigint>;
  blocks(blknum: bigint, tag?: BlockTag): Promise<{ root: Hex; timestamp: number }>;
  standardExits(exitIds: readonly bigint[], tag?: BlockTag): Promise<StandardExitRecord[]>;
  /** The decoded calldata of the call that emitted `log`, when it is a direct call we understand. */
  enrichment(log: RootChainLog): Promise<Record<string, unknown> | undefined>;
  close(): void;
}

export interface EthereumReaderOptions {
  rpcUrl: string;
  /** The chain id the profile names (the provider never re-detects the network). */
  chainId: bigint;
  /** The deployment's addresses (and child block interval, for the exit id check). */
  contracts: Pick<
    Deployment,
    'plasmaFramework' | 'ethVault' | 'erc20Vault' | 'paymentExitGame' | 'childBlockInterval'
  >;
  requestTimeoutMs?: number;
}

// The calls whose calldata enriches an event (§1.3.2), and how to tell that the decoded call really
// is the one that emitted the log.
const ENRICHED: Partial<
  Record<
    WatchedEventName,
    {
      method: string;
      matches(args: Record<string, unknown>, log: RootChainLog, interval: bigint): boolean;
    }
  >
> = {
  ExitStarted: {
    method: 'startStandardExit',
    matches: (a, log, interval) =>
      standardExitId(
        hexToBytes(a['rlpOutputTx'] as string),
        a['utxoPos'] as bigint,
        isDepositBlknum(decodeUtxoPos(a['utxoPos'] as bigint).blknum, interval),
      ) === log.args['exitId'],
  },
  InFlightExitStarted: {
    method: 'startInFlightExit',
    matches: (a, log) => keccakHex(hexToBytes(a['inFlightTx'] as string)) === log.args['txHash'],
  },
  InFlightExitChallenged: {
    method: 'challengeInFlightExitNotCanonical',
    matches: (a, log) => keccakHex(hexToBytes(a['inFlightTx'] as string)) === log.args['txHash'],
  },
};

const HASH = 32;

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
  if (text === undefined) return typeof value;
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Plain values of a decoded parameter: uints as bigint, addresses and bytes as lowercase hex, tuples as objects by name. */
function plainValue(value: unknown, param: ParamType): unknown {
  if (param.baseType === 'array') {
    return Array.from(value as unknown[]).map((v) => plainValue(v, param.arrayChildren!));
  }
  if (param.baseType === 'tuple') {
    const values = Array.from(value as unknown[]);
    const out: Record<string, unknown> = {};
    param.components!.forEach((c, i) => (out[c.name] = plainValue(values[i], c)));
    return out;
  }
  if (param.baseType === 'address') return normalizeAddress(String(value));
  if (param.baseType.startsWith('bytes') || param.baseType === 'string')
    return String(value).toLowerCase();
  return value; // uint/int: bigint; bool
}

export class EthereumReader implements RootChainReader {
  private readonly provider: JsonRpcProvider;
  private readonly addresses: Record<ContractRole, Address>;
  private readonly roleOf: Map<Address, ContractRole>;
  private readonly interval: bigint;

  constructor(private readonly options: EthereumReaderOptions) {
    const request = new FetchRequest(options.rpcUrl);
    request.timeout = options.requestTimeoutMs ?? 20_000;
    // No caching, no batching (anvil), and a fixed network so that a dead node fails each call at
    // once instead of being probed forever in the background.
    this.provider = new JsonRpcProvider(request, undefined, {
      cacheTimeout: -1,
      batchMaxCount: 1,
      staticNetwork: Network.from(options.chainId),
    });
    const c = options.contracts;
    this.addresses = {
      plasmaFramework: normalizeAddress(c.plasmaFramework),
      ethVault: normalizeAddress(c.ethVault),
      erc20Vault: normalizeAddress(c.erc20Vault),
      paymentExitGame: normalizeAddress(c.paymentExitGame),
    };
    this.roleOf = new Map(
      (Object.entries(this.addresses) as [ContractRole, Address][]).map(([r, a]) => [a, r]),
    );
    this.interval = c.childBlockInterval;
  }

  close(): void {
    this.provider.destroy();
  }

  private async rpc(method: string, params: unknown[]): Promise<unknown> {
    try {
      return (await this.provider.send(method, params)) as unknown;
    } catch (cause) {
      const e = cause as {
        code?: string;
        error?: { message?: unknown };
        info?: { error?: { message?: unknown } };
        shortMessage?: string;
        message?: string;
      };
      const where = `The Ethereum node at ${this.options.rpcUrl}`;
      // ethers puts the node's error under `error`, except for eth_call (a CALL_EXCEPTION), where
      // it is under `info.error`: e.g. a node without the state of an old height refusing the call.
      const refusal = e.error?.message ?? e.info?.error?.message;
      if (typeof refusal === 'string') {
        throw new RootChainError(
          'ethereum_rpc_error',
          `${where} refused ${method}: ${refusal.slice(0, 300)}.`,
          { cause },
        );
      }
      if (e.code === 'BAD_DATA' || /not valid JSON/.test(e.shortMessage ?? '')) {
        throw new RootChainError(
          'ethereum_bad_response',
          `${where} answered ${method} with something that is not JSON-RPC.`,
          { cause },
        );
      }
      throw new RootChainError(
        'ethereum_unreachable',
        `${where} does not answer (${method}: ${e.shortMessage ?? e.message ?? String(cause)}). ` +
          `Is it running and reachable?`,
        { cause },
      );
    }
  }

  private bad(method: string, what: string, value: unknown): RootChainError {
    return new RootChainError(
      'ethereum_bad_response',
      `The Ethereum node at ${this.options.rpcUrl} answered ${method} with ${what} ${describe(value)}; ` +
        `that is not a valid answer, so nothing was recorded from it.`,
    );
  }

  private quantity(method: string, what: string, value: unknown): number {
    if (typeof value === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(value)) {
      const n = Number.parseInt(value.slice(2), 16);
      if (Number.isSafeInteger(n)) return n;
    }
    throw this.bad(method, `a ${what} of`, value);
  }

  private hash(method: string, what: string, value: unknown): Hex {
    if (isHex(value, HASH)) return value.toLowerCase() as Hex;
    throw this.bad(method, `a ${what} of`, value);
  }

  private object(method: string, value: unknown): Record<string, unknown> {
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
    throw this.bad(method, 'the non-object', value);
  }

  async chainId(): Promise<bigint> {
    const v = await this.rpc('eth_chainId', []);
    return BigInt(this.quantity('eth_chainId', 'chain id', v));
  }

  private header(method: string, raw: unknown, height?: number): BlockHeader | undefined {
    if (raw === null) return undefined;
    const b = this.object(method, raw);
    const header = {
      height: this.quantity(method, 'block number', b['number']),
      hash: this.hash(method, 'block hash', b['hash']),
      parentHash: this.hash(method, 'parent hash', b['parentHash']),
      timestamp: this.quantity(method, 'timestamp', b['timestamp']),
    };
    if (height !== undefined && header.height !== height)
      throw this.bad(method, `block ${header.height} for height`, height);
    return header;
  }

  async head(): Promise<BlockHeader> {
    const raw = await this.rpc('eth_getBlockByNumber', ['latest', false]);
    const header = this.header('eth_getBlockByNumber', raw);
    if (!header) throw this.bad('eth_getBlockByNumber', 'no latest block:', raw);
    return header;
  }

  async block(height: number): Promise<BlockHeader | undefined> {
    const raw = await this.rpc('eth_getBlockByNumber', [`0x${height.toString(16)}`, false]);
    return this.header('eth_getBlockByNumber', raw, height);
  }

  async syncing(): Promise<boolean> {
    const v = await this.rpc('eth_syncing', []);
    if (v === false) return false;
    if (v !== null && typeof v === 'object') return true;
    throw this.bad('eth_syncing', 'the value', v);
  }

  async logs(from: number, to: number): Promise<RootChainLog[]> {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from)
      throw new RangeError(`Cannot read logs of heights ${from}…${to}.`);
    const method = 'eth_getLogs';
    const raw = await this.rpc(method, [
      {
        address: Object.values(this.addresses),
        topics: [WATCHED_TOPICS],
        fromBlock: `0x${from.toString(16)}`,
        toBlock: `0x${to.toString(16)}`,
      },
    ]);
    if (!Array.isArray(raw)) throw this.bad(method, 'the non-list', raw);
    const out: RootChainLog[] = [];
    for (const item of raw) {
      const log = this.decodeLog(this.object(method, item), from, to);
      if (log) out.push(log);
    }
    // Chain order, whatever order the node used.
    return out.sort((a, b) => a.ethHeight - b.ethHeight || a.logIndex - b.logIndex);
  }

  private decodeLog(
    l: Record<string, unknown>,
    from: number,
    to: number,
  ): RootChainLog | undefined {
    const method = 'eth_getLogs';
    if (l['removed'] === true) return undefined;
    const ethHeight = this.quantity(method, 'log block number', l['blockNumber']);
    if (ethHeight < from || ethHeight > to)
      throw this.bad(method, `a log outside ${from}…${to}, at height`, ethHeight);
    const topics = l['topics'];
    if (!Array.isArray(topics) || topics.length === 0 || !topics.every((t) => isHex(t, HASH)))
      throw this.bad(method, 'log topics', topics);
    const data = l['data'];
    if (!isHex(data)) throw this.bad(method, 'log data', data);
    const address =
      typeof l['address'] === 'string' && isHex(l['address'], 20)
        ? normalizeAddress(l['address'])
        : undefined;
    const event = BY_TOPIC.get((topics[0] as string).toLowerCase() as Hex);
    const role = address && this.roleOf.get(address);
    if (!event || !role || !event.emitters.includes(role))
      throw this.bad(method, 'a log nobody asked for:', {
        address: l['address'],
        topic0: topics[0],
      });
    let parsed: LogDescription | null;
    try {
      parsed = event.iface.parseLog({ topics: topics as string[], data });
    } catch (cause) {
      throw new RootChainError(
        'ethereum_bad_response',
        `A ${event.name} log at height ${ethHeight} does not decode (${(cause as Error).message}); ` +
          `the node or the contract at ${address} is not what the profile says.`,
        { cause },
      );
    }
    if (!parsed) throw this.bad(method, 'an undecodable log', l);
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((p, i) => (args[p.name] = plainValue(parsed.args[i], p)));
    return {
      name: event.name,
      address: address!,
      ethHeight,
      logIndex: this.quantity(method, 'log index', l['logIndex']),
      ethTxHash: this.hash(method, 'transaction hash', l['transactionHash']),
      blockHash: this.hash(method, 'block hash', l['blockHash']),
      args,
    };
  }

  async call(request: CallRequest, tag: BlockTag = 'latest'): Promise<Hex> {
    const block = tag === 'latest' ? tag : `0x${tag.toString(16)}`;
    const v = await this.rpc('eth_call', [{ to: request.to, data: request.data }, block]);
    if (!isHex(v)) throw this.bad('eth_call', 'the result', v);
    return v.toLowerCase() as Hex;
  }

  private decoded<T>(method: string, decode: () => T): T {
    try {
      return decode();
    } catch (cause) {
      throw new RootChainError(
        'ethereum_bad_response',
        `${method} returned data that does not decode (${(cause as Error).message}); is ` +
          `${this.addresses.plasmaFramework} really the Plasma framework on this network?`,
        { cause },
      );
    }
  }

  async receipt(txHash: Hex): Promise<TransactionReceiptInfo | undefined> {
    const raw = await this.rpc('eth_getTransactionReceipt', [txHash]);
    if (raw === null) return undefined;
    const r = this.object('eth_getTransactionReceipt', raw);
    const c = r['contractAddress'];
    return {
      blockNumber: this.quantity('eth_getTransactionReceipt', 'block number', r['blockNumber']),
      contractAddress: typeof c === 'string' && isHex(c, 20) ? normalizeAddress(c) : undefined,
      status: r['status'] === '0x1',
    };
  }

  async nextChildBlock(tag: BlockTag = 'latest'): Promise<bigint> {
    const data = await this.call(nextChildBlockCall(this.addresses.plasmaFramework), tag);
    return this.decoded('nextChildBlock()', () => decodeUintResult(data));
  }

  async blocks(
    blknum: bigint,
    tag: BlockTag = 'latest',
  ): Promise<{ root: Hex; timestamp: number }> {
    const data = await this.call(blocksCall(this.addresses.plasmaFramework, blknum), tag);
    const { root, timestamp } = this.decoded('blocks()', () => decodeBlockResult(data));
    if (timestamp > BigInt(Number.MAX_SAFE_INTEGER))
      throw this.bad('eth_call', `a timestamp of block ${blknum} of`, String(timestamp));
    return { root, timestamp: Number(timestamp) };
  }

  async standardExits(
    exitIds: readonly bigint[],
    tag: BlockTag = 'latest',
  ): Promise<StandardExitRecord[]> {
    const data = await this.call(
      standardExitsCall(this.addresses.paymentExitGame, [...exitIds]),
      tag,
    );
    const records = this.decoded('standardExits()', () => decodeStandardExitsResult(data));
    if (records.length !== exitIds.length)
      throw this.bad(
        'eth_call',
        `${records.length} exit records for ${exitIds.length} ids:`,
        data.slice(0, 80),
      );
    return records;
  }

  async enrichment(log: RootChainLog): Promise<Record<string, unknown> | undefined> {
    const spec = ENRICHED[log.name];
    if (!spec) return undefined;
    const raw = await this.rpc('eth_getTransactionByHash', [log.ethTxHash]);
    if (raw === null) return undefined;
    const tx = this.object('eth_getTransactionByHash', raw);
    const to = tx['to'];
    const input = tx['input'] ?? tx['data'];
    // Only a direct call of the exit game: through a wallet contract or a wrapper the calldata is
    // someone else's encoding, and a guess could record the wrong output.
    if (
      typeof to !== 'string' ||
      !isHex(to, 20) ||
      normalizeAddress(to) !== this.addresses.paymentExitGame
    )
      return undefined;
    const fragment = paymentExitGameInterface.getFunction(spec.method)!;
    if (typeof input !== 'string' || !input.toLowerCase().startsWith(fragment.selector))
      return undefined;
    try {
      const [args] = paymentExitGameInterface.decodeFunctionData(fragment, input);
      const plain = plainValue(args, fragment.inputs[0]!) as Record<string, unknown>;
      return spec.matches(plain, log, this.interval) ? plain : undefined;
    } catch {
      return undefined; // calldata that does not decode: the log stands without enrichment
    }
  }
}
