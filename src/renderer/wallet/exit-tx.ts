// Exit-game transactions built in the renderer and signed with the account's key (main only relays
// them with eth.send, like deposits): open a token's exit queue, start a standard exit with its bond,
// challenge an invalid exit, process exits. Calldata comes from src/plasma contracts; signing is
// ethereum-tx's signEthereumTx.

import { PlasmaError } from '../../plasma/errors';
import {
  addExitQueueTx,
  challengeStandardExitTx,
  processExitsTx,
  startStandardExitTx,
  type TxRequest,
} from '../../plasma/contracts';
import { WalletError } from './errors';
import { parseAddress } from './vault';

export type ExitStepKind =
  'add_exit_queue' | 'start_standard_exit' | 'challenge_standard_exit' | 'process_exits';

export interface ExitStep {
  kind: ExitStepKind;
  request: TxRequest;
  /** What this transaction does, in plain words. */
  description: string;
}

/** What startStandardExit needs for one output (main's exit data: from the store or a bundle). */
export interface StandardExitArgs {
  framework: string;
  exitGame: string;
  token: string;
  /** Whether the token's exit queue exists already (framework.hasExitQueue). */
  hasExitQueue: boolean;
  utxoPos: bigint;
  txBytes: string;
  proof: string;
  /** The exit game's current startStandardExitBondSize, sent as the transaction's value. */
  bond: bigint;
}

/** Runs an encoder, turning its protocol error into the wallet's error with the same sentence. */
function encoded<T>(build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof PlasmaError) {
      throw new WalletError('invalid_argument', e.message, { cause: e });
    }
    throw e;
  }
}

function requireBond(bond: bigint): void {
  if (typeof bond !== 'bigint' || bond <= 0n) {
    throw new WalletError('invalid_amount', 'The exit bond must be more than zero.');
  }
}

/**
 * The transactions one standard exit needs, in order: the token's exit queue when it is missing
 * (anyone may add it; the exit would revert without it), then startStandardExit carrying the bond.
 */
export function planStandardExit(args: StandardExitArgs): ExitStep[] {
  const token = parseAddress(args.token);
  requireBond(args.bond);
  const steps: ExitStep[] = [];
  if (!args.hasExitQueue) {
    steps.push({
      kind: 'add_exit_queue',
      request: encoded(() => addExitQueueTx(args.framework, token)),
      description: 'Open this token’s exit queue on Ethereum (needed once per token).',
    });
  }
  steps.push({
    kind: 'start_standard_exit',
    request: encoded(() =>
      startStandardExitTx(args.exitGame, {
        utxoPos: args.utxoPos,
        outputTx: args.txBytes,
        outputTxInclusionProof: args.proof,
        bond: args.bond,
      }),
    ),
    description: 'Start the exit of this output, paying the bond (returned when it is processed).',
  });
  return steps;
}

/** What challengeStandardExit needs (main's challenge data for an invalid exit). */
export interface ChallengeArgs {
  exitGame: string;
  exitId: bigint;
  exitingTx: string;
  challengeTx: string;
  inputIndex: number;
  /** The spending transaction's signature for that input. */
  sig: string;
  /** Who sends the challenge (its address goes into senderData; the bond is paid to it). */
  sender: string;
}

/** Challenge an invalid standard exit with the transaction that spends its output. */
export function challengeExitStep(args: ChallengeArgs): ExitStep {
  const sender = parseAddress(args.sender);
  if (!Number.isSafeInteger(args.inputIndex) || args.inputIndex < 0 || args.inputIndex > 4) {
    throw new WalletError(
      'invalid_argument',
      'The input index must be a whole number from 0 to 4.',
    );
  }
  return {
    kind: 'challenge_standard_exit',
    request: encoded(() =>
      challengeStandardExitTx(args.exitGame, {
        exitId: args.exitId,
        exitingTx: args.exitingTx,
        challengeTx: args.challengeTx,
        inputIndex: BigInt(args.inputIndex),
        witness: args.sig,
        sender,
      }),
    ),
    description: 'Challenge the invalid exit: it is removed and its bond is paid to you.',
  };
}

/**
 * Process the token's exit queue from its head: `count` exits (those ahead of ours plus ours), or
 * fewer if fewer are exitable. topExitId 0 means "whatever is at the head".
 */
export function processExitsStep(args: {
  framework: string;
  token: string;
  count: number;
}): ExitStep {
  const token = parseAddress(args.token);
  if (!Number.isSafeInteger(args.count) || args.count < 1 || args.count > 1000) {
    throw new WalletError(
      'invalid_argument',
      'The number of exits to process must be a whole number from 1 to 1000.',
    );
  }
  return {
    kind: 'process_exits',
    request: encoded(() =>
      processExitsTx(args.framework, {
        token,
        topExitId: 0n,
        maxExitsToProcess: BigInt(args.count),
      }),
    ),
    description: `Pay out up to ${args.count} exitable exit${args.count === 1 ? '' : 's'} of this token.`,
  };
}
