// The watcher's HTTP API in the elixir-omg Watcher format (spec/watcher.md §3.3), so existing OMG
// tools can read a Vigil watcher: `status.get`, `alarm.get`, `configuration.get`,
// `utxo.get_exit_data` and `utxo.get_challenge_data`. Served on 127.0.0.1
// only. Answers come from the latest round's snapshot and the store; nothing here writes.
import { RpcError, startRpcServer, type RpcMethod, type RunningRpcServer } from '../api/http-rpc';
import { ExitDataError } from './exit-processor';
import { HEALTH_ALARMS } from './status';
import { SYNCED } from './types';
import type { Watcher } from './watcher';

export const WATCHER_VERSION = '0.1.0+vigil';

/** `configuration.get`'s `network`: the elixir-omg names where the chain is a known one. */
const NETWORK_NAMES: Record<number, string> = {
  1: 'MAINNET',
  3: 'ROPSTEN',
  4: 'RINKEBY',
  5: 'GOERLI',
  42: 'KOVAN',
  11155111: 'SEPOLIA',
  31337: 'LOCALCHAIN',
};

/** The service names of `services_synced_heights`, as elixir-omg tools know them. */
const SERVICE_NAMES: Record<string, string> = {
  [SYNCED.depositor]: 'depositor',
  [SYNCED.blockGetter]: 'block_getter',
  [SYNCED.blockSubmissions]: 'block_submissions',
  [SYNCED.exitEvents]: 'exit_processor',
};

export function statusData(watcher: Watcher): Record<string, unknown> {
  const snap = watcher.snapshot();
  const eth = snap.ethereum;
  const lastValidated = snap.getter?.lastAppliedBlock ?? watcher.store.lastAppliedBlock();
  const validatedBlock = lastValidated > 0n ? watcher.store.getBlock(lastValidated) : undefined;
  const d = watcher.deployment;
  return {
    last_validated_child_block_number: lastValidated,
    last_validated_child_block_timestamp: validatedBlock?.timestamp ?? 0,
    last_mined_child_block_number: eth?.lastMinedChildBlock ?? 0n,
    last_mined_child_block_timestamp: eth?.lastMinedChildBlockTimestamp ?? 0,
    last_seen_eth_block_number: eth?.headHeight ?? 0,
    last_seen_eth_block_timestamp: eth?.headTimestamp ?? 0,
    eth_syncing: eth?.ethSyncing ?? true,
    contract_addr: {
      plasma_framework: d.plasmaFramework,
      eth_vault: d.ethVault,
      erc20_vault: d.erc20Vault,
      payment_exit_game: d.paymentExitGame,
    },
    byzantine_events: snap.events.map((e) => ({
      event: e.kind,
      details: { name: e.kind, ...e.details },
    })),
    // In-flight exits are tracked by the exit processor (exits issue); none are known here yet.
    in_flight_exits: [],
    services_synced_heights: [
      { service: 'root_chain_height', height: eth?.headHeight ?? 0 },
      ...Object.entries(snap.heights)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, height]) => ({ service: SERVICE_NAMES[name] ?? name, height })),
    ],
    // Vigil's own addition: the status the app gates on, in plain words.
    vigil_status: snap.status,
  };
}

/** The `utxo_pos` param: a whole number (JSON number, big integer, or decimal string). */
function utxoPosParam(params: Record<string, unknown>): bigint {
  const raw = params['utxo_pos'];
  const ok =
    (typeof raw === 'bigint' && raw >= 0n) ||
    (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) ||
    (typeof raw === 'string' && /^(?:0|[1-9][0-9]{0,30})$/.test(raw));
  if (!ok)
    throw new RpcError(
      'operation:bad_request',
      'Parameters required by this operation are missing or incorrect.',
      {
        validation_error: { parameter: 'utxo_pos', validator: ':integer' },
      },
    );
  return BigInt(raw as bigint | number | string);
}

/** Runs an exit-processor query; its refusals become the spec's error codes. */
function exitQuery<T>(watcher: Watcher, run: (exits: NonNullable<Watcher['exits']>) => T): T {
  if (!watcher.exits)
    throw new RpcError('operation:service_unavailable', 'This watcher does not track exits.');
  try {
    return run(watcher.exits);
  } catch (error) {
    if (error instanceof ExitDataError) throw new RpcError(error.code, error.message);
    throw error;
  }
}

export function watcherApiMethods(watcher: Watcher): Record<string, RpcMethod> {
  return {
    'utxo.get_exit_data': {
      handler: (params) =>
        exitQuery(watcher, (exits) => {
          const d = exits.exitData(utxoPosParam(params));
          return { utxo_pos: d.utxoPos, txbytes: d.txBytes, proof: d.proof };
        }),
    },
    'utxo.get_challenge_data': {
      handler: (params) =>
        exitQuery(watcher, (exits) => {
          const d = exits.challengeData(utxoPosParam(params));
          return {
            exit_id: d.exitId,
            exiting_tx: d.exitingTx,
            txbytes: d.txBytes,
            input_index: d.inputIndex,
            sig: d.sig,
          };
        }),
    },
    'status.get': {
      handler: () => {
        const raised = watcher.snapshot().alarms.filter((a) => HEALTH_ALARMS.includes(a));
        if (raised.length > 0)
          throw new RpcError(
            'operation:service_unavailable',
            `The watcher is not healthy: ${raised.join(', ')}. See alarm.get.`,
          );
        return statusData(watcher);
      },
    },
    'alarm.get': {
      verb: 'GET',
      handler: () =>
        watcher
          .snapshot()
          .alarms.map((name) => ({ [name]: { node: 'vigil', reporter: 'Vigil.Watcher' } })),
    },
    'configuration.get': {
      verb: 'GET',
      handler: () => ({
        exit_processor_sla_margin: watcher.config.exitProcessorSlaMargin,
        deposit_finality_margin: watcher.config.depositFinalityMargin,
        contract_semver: watcher.deployment.contractSemver,
        network:
          NETWORK_NAMES[Number(watcher.deployment.chainId)] ??
          watcher.profile.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
      }),
    },
  };
}

/** Serves the API on `host:port` (port 0: any free one). Only loopback addresses are accepted. */
export async function startWatcherApi(
  watcher: Watcher,
  port = 7434,
  host = '127.0.0.1',
  onInternalError?: (method: string, error: unknown) => void,
): Promise<RunningRpcServer> {
  if (!['127.0.0.1', '::1', 'localhost'].includes(host))
    throw new Error(
      `The watcher API serves only this machine (127.0.0.1); ${host} would expose it to the network.`,
    );
  return startRpcServer(
    {
      serviceName: 'watcher',
      version: WATCHER_VERSION,
      methods: watcherApiMethods(watcher),
      maxBodyBytes: 64 * 1024,
      ...(onInternalError ? { onInternalError } : {}),
    },
    port,
    host,
  );
}
