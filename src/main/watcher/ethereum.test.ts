// The root-chain reader against a scripted JSON-RPC server: logs decoded into plain records, odd and
// hostile answers refused with a RootChainError in plain words, and calldata enrichment only where it
// is certain. The real node is exercised in follower.chain.test.ts.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ethVaultInterface,
  paymentExitGameInterface,
  plasmaFrameworkInterface,
  startStandardExitTx,
} from '../../plasma/contracts';
import { bytesToHex } from '../../plasma/hex';
import { standardExitId } from '../../plasma/ids';
import { depositProof } from '../../plasma/merkle';
import { encodeDeposit } from '../../plasma/tx';
import { ETH_TOKEN, type Address, type Hex } from '../../plasma/types';
import { EthereumReader, RootChainError, WATCHED_TOPICS, type RootChainLog } from './ethereum';

const FRAMEWORK: Address = '0x1111111111111111111111111111111111111111';
const ETH_VAULT: Address = '0x2222222222222222222222222222222222222222';
const ERC20_VAULT: Address = '0x3333333333333333333333333333333333333333';
const EXIT_GAME: Address = '0x4444444444444444444444444444444444444444';
const ALICE: Address = '0x00000000000000000000000000000000000a11ce';
const hash = (n: number): Hex => `0x${n.toString(16).padStart(64, '0')}`;

type Handler = (params: unknown[]) => unknown;
let handlers: Record<string, Handler> = {};
/** When set, the server answers this raw body instead of JSON-RPC. */
let rawBody: string | undefined;
let server: Server;
let reader: EthereumReader;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (rawBody !== undefined) return res.end(rawBody);
      const { id, method, params } = JSON.parse(body) as {
        id: number;
        method: string;
        params: unknown[];
      };
      const handler = handlers[method];
      if (!handler)
        return res.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id,
            error: { code: -32601, message: 'Method not found' },
          }),
        );
      try {
        res.end(JSON.stringify({ jsonrpc: '2.0', id, result: handler(params) }));
      } catch (e) {
        res.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id,
            error: { code: -32000, message: (e as Error).message },
          }),
        );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  reader = new EthereumReader({
    rpcUrl: `http://127.0.0.1:${port}`,
    chainId: 31337n,
    contracts: {
      plasmaFramework: FRAMEWORK,
      ethVault: ETH_VAULT,
      erc20Vault: ERC20_VAULT,
      paymentExitGame: EXIT_GAME,
      childBlockInterval: 1000n,
    },
    requestTimeoutMs: 5_000,
  });
});

afterAll(async () => {
  reader.close();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  handlers = {};
  rawBody = undefined;
});

function rawLog(
  address: Address,
  iface: typeof ethVaultInterface,
  name: string,
  args: unknown[],
  at: { height: number; index: number; tx?: Hex; removed?: boolean },
) {
  const { topics, data } = iface.encodeEventLog(name, args);
  return {
    address,
    topics,
    data,
    blockNumber: `0x${at.height.toString(16)}`,
    blockHash: hash(1000 + at.height),
    transactionHash: at.tx ?? hash(at.height * 100 + at.index),
    logIndex: `0x${at.index.toString(16)}`,
    removed: at.removed ?? false,
  };
}

async function refusal(p: Promise<unknown>): Promise<RootChainError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RootChainError);
    return e as RootChainError;
  }
  throw new Error('the reader accepted it');
}

describe('logs', () => {
  it('asks for every watched topic of the four contracts and decodes the answers in chain order', async () => {
    let asked: Record<string, unknown> | undefined;
    handlers['eth_getLogs'] = ([filter]) => {
      asked = filter as Record<string, unknown>;
      return [
        rawLog(EXIT_GAME, paymentExitGameInterface, 'ExitStarted', [ALICE, 77n], {
          height: 12,
          index: 3,
        }),
        rawLog(ETH_VAULT, ethVaultInterface, 'DepositCreated', [ALICE, 5n, ETH_TOKEN, 9n], {
          height: 11,
          index: 0,
        }),
        rawLog(FRAMEWORK, plasmaFrameworkInterface, 'BlockSubmitted', [1000n], {
          height: 12,
          index: 1,
          removed: true,
        }),
        rawLog(FRAMEWORK, plasmaFrameworkInterface, 'BlockSubmitted', [2000n], {
          height: 12,
          index: 2,
        }),
      ];
    };
    const logs = await reader.logs(10, 12);
    expect(asked).toEqual({
      address: [FRAMEWORK, ETH_VAULT, ERC20_VAULT, EXIT_GAME],
      topics: [WATCHED_TOPICS],
      fromBlock: '0xa',
      toBlock: '0xc',
    });
    expect(WATCHED_TOPICS).toHaveLength(15);
    expect(logs.map((l) => [l.name, l.ethHeight, l.logIndex])).toEqual([
      ['DepositCreated', 11, 0],
      ['BlockSubmitted', 12, 2],
      ['ExitStarted', 12, 3],
    ]);
    expect(logs[0]).toEqual({
      name: 'DepositCreated',
      address: ETH_VAULT,
      ethHeight: 11,
      logIndex: 0,
      ethTxHash: hash(1100),
      blockHash: hash(1011),
      args: { depositor: ALICE, blknum: 5n, token: ETH_TOKEN, amount: 9n },
    } satisfies RootChainLog);
    expect(logs[2]!.args).toEqual({ owner: ALICE, exitId: 77n });
  });

  it('refuses a log from a contract that cannot emit it, outside the range, or that does not decode', async () => {
    const cases: [unknown, RegExp][] = [
      [
        rawLog(ETH_VAULT, plasmaFrameworkInterface, 'BlockSubmitted', [1000n], {
          height: 11,
          index: 0,
        }),
        /nobody asked for/,
      ],
      [
        rawLog(FRAMEWORK, plasmaFrameworkInterface, 'BlockSubmitted', [1000n], {
          height: 99,
          index: 0,
        }),
        /outside 10…12/,
      ],
      [
        {
          ...rawLog(FRAMEWORK, plasmaFrameworkInterface, 'BlockSubmitted', [1000n], {
            height: 11,
            index: 0,
          }),
          data: '0x12',
        },
        /does not decode/,
      ],
      [
        {
          ...rawLog(FRAMEWORK, plasmaFrameworkInterface, 'BlockSubmitted', [1000n], {
            height: 11,
            index: 0,
          }),
          topics: [hash(5)],
        },
        /nobody asked for/,
      ],
      [
        {
          ...rawLog(FRAMEWORK, plasmaFrameworkInterface, 'BlockSubmitted', [1000n], {
            height: 11,
            index: 0,
          }),
          logIndex: -1,
        },
        /log index/,
      ],
      ['not a log', /non-object/],
    ];
    for (const [log, message] of cases) {
      handlers['eth_getLogs'] = () => [log];
      const e = await refusal(reader.logs(10, 12));
      expect(e.code).toBe('ethereum_bad_response');
      expect(e.message).toMatch(message);
    }
    handlers['eth_getLogs'] = () => ({ logs: [] });
    expect((await refusal(reader.logs(10, 12))).message).toMatch(/non-list/);
  });
});

describe('odd answers', () => {
  it('are RootChainErrors that say what was wrong', async () => {
    handlers['eth_getBlockByNumber'] = () => ({
      number: '0xzz',
      hash: hash(1),
      parentHash: hash(0),
      timestamp: '0x1',
    });
    expect((await refusal(reader.head())).message).toMatch(/block number of "0xzz"/);
    handlers['eth_getBlockByNumber'] = () => ({
      number: '0x5',
      hash: hash(1),
      parentHash: hash(0),
      timestamp: '0x1',
    });
    expect((await refusal(reader.block(6))).message).toMatch(/block 5 for height 6/);
    expect((await reader.head()).height).toBe(5);
    handlers['eth_getBlockByNumber'] = () => null;
    expect(await reader.block(7)).toBeUndefined();
    handlers['eth_syncing'] = () => ({ currentBlock: '0x1' });
    expect(await reader.syncing()).toBe(true);
    handlers['eth_syncing'] = () => 'maybe';
    expect((await refusal(reader.syncing())).code).toBe('ethereum_bad_response');
    handlers['eth_call'] = () => '0x1234';
    const e = await refusal(reader.nextChildBlock());
    expect(e.code).toBe('ethereum_bad_response');
    expect(e.message).toMatch(/nextChildBlock\(\) returned data that does not decode/);
  });

  it("a JSON-RPC error is ethereum_rpc_error with the node's words; a non-JSON body is a bad response", async () => {
    handlers['eth_getLogs'] = () => {
      throw new Error('query returned more than 10000 results');
    };
    const e = await refusal(reader.logs(1, 5000));
    expect(e.code).toBe('ethereum_rpc_error');
    expect(e.message).toMatch(/refused eth_getLogs: query returned more than 10000 results/);
    // eth_call errors reach us as ethers' CALL_EXCEPTION: still the node's refusal, not a dead node
    // (the follower then asks a node without old state at the head instead).
    handlers['eth_call'] = () => {
      throw new Error('BlockOutOfRangeError: block height is 50 but requested was 5');
    };
    const call = await refusal(reader.blocks(1000n, 5));
    expect(call.code).toBe('ethereum_rpc_error');
    expect(call.message).toMatch(/refused eth_call: BlockOutOfRangeError: block height is 50/);
    rawBody = '<html>bad gateway</html>';
    expect((await refusal(reader.chainId())).code).toBe('ethereum_bad_response');
  });

  it('a dead node is ethereum_unreachable, at once', async () => {
    const dead = new EthereumReader({
      rpcUrl: 'http://127.0.0.1:1',
      chainId: 31337n,
      contracts: {
        plasmaFramework: FRAMEWORK,
        ethVault: ETH_VAULT,
        erc20Vault: ERC20_VAULT,
        paymentExitGame: EXIT_GAME,
        childBlockInterval: 1000n,
      },
    });
    const e = await refusal(dead.head());
    dead.close();
    expect(e.code).toBe('ethereum_unreachable');
    expect(e.message).toMatch(/does not answer .*ECONNREFUSED/);
  });
});

describe('calldata enrichment of ExitStarted', () => {
  const owner = ALICE;
  const outputTx = encodeDeposit(owner, ETH_TOKEN, 5n);
  const utxoPos = 3_000_000_000n;
  const exitId = standardExitId(outputTx, utxoPos, true);
  const call = startStandardExitTx(EXIT_GAME, {
    utxoPos,
    outputTx,
    outputTxInclusionProof: depositProof(),
    bond: 1n,
  });
  const log: RootChainLog = {
    name: 'ExitStarted',
    address: EXIT_GAME,
    ethHeight: 20,
    logIndex: 0,
    ethTxHash: hash(42),
    blockHash: hash(43),
    args: { owner, exitId },
  };

  it('decodes a direct call of startStandardExit whose arguments hash to the exit id', async () => {
    handlers['eth_getTransactionByHash'] = () => ({ to: EXIT_GAME, input: call.data });
    expect(await reader.enrichment(log)).toEqual({
      utxoPos,
      rlpOutputTx: bytesToHex(outputTx),
      outputTxInclusionProof: bytesToHex(depositProof()),
    });
  });

  it('leaves it out for a call through another contract, another exit, or calldata that does not decode', async () => {
    for (const tx of [
      { to: ETH_VAULT, input: call.data },
      { to: null, input: call.data },
      { to: EXIT_GAME, input: `${call.data.slice(0, 10)}00` },
      { to: EXIT_GAME, input: '0xdeadbeef' },
    ]) {
      handlers['eth_getTransactionByHash'] = () => tx;
      expect(await reader.enrichment(log)).toBeUndefined();
    }
    handlers['eth_getTransactionByHash'] = () => ({ to: EXIT_GAME, input: call.data });
    expect(
      await reader.enrichment({ ...log, args: { owner, exitId: exitId + 1n } }),
    ).toBeUndefined();
    handlers['eth_getTransactionByHash'] = () => null;
    expect(await reader.enrichment(log)).toBeUndefined();
    // Events without an enriching call are never looked up.
    expect(await reader.enrichment({ ...log, name: 'ExitFinalized' })).toBeUndefined();
  });
});
