// The child-chain HTTP API (spec/watcher.md §4), plus the devnet's control endpoints for cheats.
import { hexToBytes, isPlasmaError, type Address } from '../../src/plasma';
import {
  RpcError,
  startRpcServer,
  validate,
  type RpcMethod,
  type RunningRpcServer,
} from '../../src/main/api/http-rpc';
import { ALL_CHEATS, CheatError, isCheat } from './cheats';
import type { Operator } from './operator';
import { SubmitError } from './chain';

export const OPERATOR_VERSION = '0.1.0+vigil-devnet';
/** 65,536 transactions of at most ~1 KiB each fit a batch. */
const MAX_BATCH = 65_536;

function submitError(e: unknown): RpcError {
  if (e instanceof SubmitError) return new RpcError(`submit:${e.atom}`, e.message);
  if (isPlasmaError(e)) return new RpcError(`submit:${e.code}`, e.message);
  throw e;
}

export function operatorMethods(operator: Operator): Record<string, RpcMethod> {
  const { chain } = operator;
  return {
    'block.get': {
      handler: (p) => {
        const hash = validate.hash(p, 'hash');
        const block = chain.blockByHash(hash);
        if (!block) throw new RpcError('get_block:not_found', null);
        return { blknum: block.blknum, hash: block.hash, transactions: block.transactions };
      },
    },
    'transaction.submit': {
      handler: async (p) => {
        const tx = validate.hex(p, 'transaction');
        try {
          const r = await chain.submit(hexToBytes(tx));
          operator.afterSubmit();
          return { blknum: r.blknum, txindex: r.txindex, txhash: r.txhash };
        } catch (e) {
          throw submitError(e);
        }
      },
    },
    'transaction.batch_submit': {
      handler: async (p) => {
        const list = validate.hexList(p, 'transactions', MAX_BATCH);
        const results = await chain.submitBatch(list.map((t) => hexToBytes(t)));
        operator.afterSubmit();
        return results.map((r) =>
          r instanceof SubmitError
            ? { error: { object: 'error', code: `submit:${r.atom}`, description: r.message } }
            : { blknum: r.blknum, txindex: r.txindex, txhash: r.txhash },
        );
      },
    },
    'fees.all': {
      handler: (p) => {
        const types = p['tx_types'];
        if (types !== undefined && (!Array.isArray(types) || types.some((t) => t !== 1))) {
          throw new RpcError(
            'fee:tx_type_not_supported',
            'Only payments (tx type 1) pay fees on this chain.',
          );
        }
        const currencies = p['currencies'];
        const wanted = Array.isArray(currencies)
          ? new Set(currencies.map((c) => String(c).toLowerCase()))
          : null;
        const entries = [...operator.fees].filter(([token]) => !wanted || wanted.has(token));
        if (wanted && entries.length < wanted.size)
          throw new RpcError(
            'fee:currency_fee_not_supported',
            'No fee is set for one of those currencies.',
          );
        const updatedAt = new Date(operator.startedAt).toISOString();
        return {
          '1': entries.map(([currency, amount]) => ({
            currency,
            amount,
            subunit_to_unit: 1_000_000_000_000_000_000n,
            pegged_currency: 'USD',
            pegged_amount: null,
            pegged_subunit_to_unit: null,
            updated_at: updatedAt,
          })),
        };
      },
    },
    'configuration.get': {
      verb: 'GET',
      handler: () => ({
        deposit_finality_margin: operator.config.depositFinalityMargin,
        contract_semver: '1.0.5+vigil',
        network: 'LOCALCHAIN',
      }),
    },
    'alarm.get': { verb: 'GET', handler: () => operator.alarms() },
    // Devnet control: not part of the child-chain API.
    'devnet.cheats': {
      verb: 'GET',
      handler: () => ({ cheats: ALL_CHEATS, armed: chain.armedCheat }),
    },
    'devnet.cheat': {
      handler: async (p) => {
        const name = p['name'];
        if (!isCheat(name))
          return validate.fail('name', `{:in, [${Object.keys(ALL_CHEATS).join(', ')}]}`);
        try {
          return await operator.cheat(name);
        } catch (e) {
          if (e instanceof CheatError) throw new RpcError('devnet:cheat_unavailable', e.message);
          throw e;
        }
      },
    },
    'devnet.utxos': {
      handler: (p) => {
        const owner = validate.address(p, 'address') as Address;
        return chain.utxosOf(owner).map(({ utxoPos, utxo }) => ({
          utxo_pos: utxoPos,
          owner: utxo.owner,
          currency: utxo.token,
          amount: utxo.amount,
          otype: utxo.outputType,
        }));
      },
    },
    'devnet.form_block': {
      handler: async () => {
        const block = await operator.formAndSubmit();
        return block
          ? { blknum: block.blknum, hash: block.hash, transactions: block.transactionCount }
          : null;
      },
    },
  };
}

export function startOperatorServer(
  operator: Operator,
  port = 0,
  log: (m: string) => void = () => undefined,
): Promise<RunningRpcServer> {
  return startRpcServer(
    {
      serviceName: 'child_chain',
      version: OPERATOR_VERSION,
      methods: operatorMethods(operator),
      maxBodyBytes: 256 * 1024 * 1024,
      onInternalError: (m, e) =>
        log(`${m} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    },
    port,
  );
}
