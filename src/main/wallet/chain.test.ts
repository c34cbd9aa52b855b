import { describe, expect, it } from 'vitest';
import { encodeSigned } from '../../plasma/tx';
import { ETH_TOKEN, NULL_METADATA, OUTPUT_TYPE_PAYMENT, type Hex } from '../../plasma/types';
import { bytesToHex } from '../../plasma/hex';
import { HandlerError } from '../ipc/router';
import { ChildChainError, type ChildChainClient } from '../watcher/child-chain-client';
import type { WatcherSnapshot } from '../watcher/watcher';
import { feeOptions, submitPayment } from './chain';

const TOKEN = '0x' + '70'.repeat(20);

/** A client whose answers the test scripts (the operator is untrusted: anything may come back). */
function client(answers: { fees?: () => unknown; submit?: () => unknown }): ChildChainClient {
  return {
    feesAll: async () => answers.fees?.(),
    submit: async () => answers.submit?.(),
  } as unknown as ChildChainClient;
}

const tokenInfo = async (token: string) => {
  if (token === TOKEN) return { symbol: 'VTT', decimals: 18 };
  throw new HandlerError('not_erc20', 'not a token');
};

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof HandlerError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

const ready: WatcherSnapshot = {
  status: { kind: 'valid', reason: 'ok' },
  alarms: [],
  ethereum: undefined,
  getter: undefined,
  events: [],
  heights: {},
  at: 0,
};

const signedPayment = (): Hex =>
  bytesToHex(
    encodeSigned({
      tx: {
        txType: 1n,
        inputs: [1_000_000_000n],
        outputs: [
          {
            outputType: OUTPUT_TYPE_PAYMENT,
            outputGuard: `0x${'ab'.repeat(20)}`,
            token: ETH_TOKEN,
            amount: 5n,
          },
        ],
        txData: 0n,
        metadata: NULL_METADATA,
      },
      sigs: [`0x${'11'.repeat(64)}1b`],
    }),
  );

describe('feeOptions with whatever the operator sends', () => {
  it('reads the payment fees with each token’s symbol and decimals', async () => {
    const fees = () => ({
      '1': [
        { currency: ETH_TOKEN, amount: 1_000_000_000n },
        { currency: TOKEN.toUpperCase().replace('0X', '0x'), amount: '7' },
      ],
    });
    expect(await feeOptions(client({ fees }), tokenInfo)).toEqual([
      { token: ETH_TOKEN, amount: '1000000000', symbol: 'ETH', decimals: 18 },
      { token: TOKEN, amount: '7', symbol: 'VTT', decimals: 18 },
    ]);
  });

  it('skips entries it cannot trust and refuses a table that is not one', async () => {
    const fees = () => ({
      '1': [
        null,
        { currency: 'eth', amount: 1 },
        { currency: ETH_TOKEN, amount: -1 },
        { currency: ETH_TOKEN, amount: '9'.repeat(100) },
        { currency: '0x' + '99'.repeat(20), amount: 3 },
        { currency: ETH_TOKEN, amount: 2 },
      ],
    });
    expect(await feeOptions(client({ fees }), tokenInfo)).toEqual([
      { token: ETH_TOKEN, amount: '2', symbol: 'ETH', decimals: 18 },
    ]);
    for (const hostile of [null, 'fees', { '1': 'all' }, []]) {
      expect(await codeOf(feeOptions(client({ fees: () => hostile }), tokenInfo))).toBe(
        'operator_bad_answer',
      );
    }
    const down = () => {
      throw new ChildChainError('connection_refused', 'The operator refused the connection.');
    };
    expect(await codeOf(feeOptions(client({ fees: down }), tokenInfo))).toBe(
      'operator_unreachable',
    );
  });
});

describe('submitPayment', () => {
  it('closes the gate before anything else, even for garbage', async () => {
    const syncing = {
      ...ready,
      status: { kind: 'syncing' as const, reason: 'Checking block 3000.' },
    };
    expect(await codeOf(submitPayment(syncing, client({}), '0x00'))).toBe('chain_not_safe');
  });

  it('refuses bytes that are not a signed payment without asking the operator', async () => {
    let asked = false;
    const c = client({ submit: () => (asked = true) });
    for (const bad of ['0x', '0xc0', '0x' + 'ff'.repeat(40), signedPayment().slice(0, -2)]) {
      expect(await codeOf(submitPayment(ready, c, bad))).toBe('malformed_transaction');
    }
    expect(asked).toBe(false);
  });

  it('maps an operator refusal to operator_refused:<atom> with plain words', async () => {
    const refuse = () => {
      throw new ChildChainError('operator_error', 'refused', {
        operatorCode: 'submit:utxo_not_found',
      });
    };
    try {
      await submitPayment(ready, client({ submit: refuse }), signedPayment());
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(HandlerError);
      expect((error as HandlerError).code).toBe('operator_refused:utxo_not_found');
      expect((error as HandlerError).message).toMatch(/does not exist or is already spent/);
    }
    const answer = { blknum: 2000n, txindex: 3, txhash: `0x${'cd'.repeat(32)}` };
    expect(await submitPayment(ready, client({ submit: () => answer }), signedPayment())).toEqual({
      blknum: '2000',
      txindex: 3,
      txHash: answer.txhash,
    });
  });
});
