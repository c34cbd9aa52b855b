// The devnet operator's misbehaviours, switched on one at a time so that every byzantine event a
// watcher must report can be produced on demand. Each switch says what happens on chain and what
// a watcher should report (README.md of devnet/ lists the same table for people).
import {
  concatBytes,
  encodeRlp,
  encodeSigned,
  encodeUtxoPos,
  hexToBytes,
  signDigest,
  signingDigest,
  signPayment,
  utxoPosToWord,
  wordFromBigint,
  addressToBytes,
  bigintToMinimalBytes,
  type Address,
  type Hex,
  type PaymentTx,
  type LedgerUtxo,
} from '../../src/plasma';

export const BLOCK_CHEATS = {
  withhold_block:
    'The next block: its root is submitted to Ethereum, its contents are never served. Watcher: block_withholding once the withholding time passes.',
  bad_signature:
    'The next block carries a spend of an operator output signed by a key that does not own it. Watcher: invalid_block, error_type tx_execution (unauthorized_spend).',
  unknown_output:
    'The next block carries a spend of an output that never existed. Watcher: invalid_block, tx_execution (utxo_not_found).',
  double_spend_across_blocks:
    'The next block re-spends an output already spent in an earlier block. Watcher: invalid_block, tx_execution (utxo_not_found).',
  double_spend_in_tx:
    'The next block carries a transaction that names the same input twice. Watcher: invalid_block, error_type duplicate_inputs.',
  outputs_exceed_inputs:
    'The next block carries a spend whose outputs are larger than its inputs. Watcher: invalid_block, tx_execution (amounts_do_not_add_up).',
  malformed_transaction:
    'The next block carries bytes that are not a transaction. Watcher: invalid_block, error_type malformed_transaction_rlp.',
  root_mismatch:
    'The next block is served with contents whose Merkle root differs from the submitted root. Watcher: invalid_block, error_type incorrect_hash.',
} as const;

export const LEDGER_CHEATS = {
  spend_exiting:
    'From now on, outputs whose standard exit has started stay spendable, so a spend of an exiting output can enter a block. Watcher: invalid_exit, then unchallenged_exit.',
} as const;

export const EXIT_CHEATS = {
  invalid_exit:
    'The operator spends one of its own outputs, then starts a standard exit of that spent output on Ethereum. Watcher: invalid_exit with challenge data; unchallenged_exit past the SLA margin.',
} as const;

export type BlockCheat = keyof typeof BLOCK_CHEATS;
export type LedgerCheat = keyof typeof LEDGER_CHEATS;
export type ExitCheat = keyof typeof EXIT_CHEATS;
export type Cheat = BlockCheat | LedgerCheat | ExitCheat;

export const ALL_CHEATS: Record<Cheat, string> = {
  ...BLOCK_CHEATS,
  ...LEDGER_CHEATS,
  ...EXIT_CHEATS,
};

export function isCheat(name: unknown): name is Cheat {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ALL_CHEATS, name);
}

export function isBlockCheat(name: Cheat): name is BlockCheat {
  return Object.prototype.hasOwnProperty.call(BLOCK_CHEATS, name);
}

/** What the operator knows when it crafts a bad transaction. */
export interface CheatContext {
  blknum: bigint;
  verifyingContract: Address;
  operatorKey: Hex;
  operatorAddress: Address;
  /** An unspent output of the operator, if it has one. */
  operatorUtxo?: { utxoPos: bigint; utxo: LedgerUtxo };
  /** Any output already spent in an earlier block. */
  spentOutput?: { utxoPos: bigint; utxo: LedgerUtxo };
}

export class CheatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheatError';
  }
}

function needOperatorUtxo(ctx: CheatContext): { utxoPos: bigint; utxo: LedgerUtxo } {
  if (!ctx.operatorUtxo)
    throw new CheatError(
      'The operator owns no output on the child chain; deposit to the operator account first.',
    );
  return ctx.operatorUtxo;
}

/** A payment (zero metadata) of `inputs` to `outputs`, each [owner, token, amount]. */
export function paymentTx(
  inputs: bigint[],
  outputs: readonly (readonly [Address, Address, bigint])[],
): PaymentTx {
  return {
    txType: 1n,
    inputs,
    outputs: outputs.map(([owner, token, amount]) => ({
      outputType: 1n,
      outputGuard: owner,
      token,
      amount,
    })),
    txData: 0n,
    metadata: `0x${'00'.repeat(32)}`,
  };
}

function payment(inputs: bigint[], owner: Address, token: Address, amount: bigint): PaymentTx {
  return paymentTx(inputs, [[owner, token, amount]]);
}

/** A signed payment with duplicate inputs: the library's encoder refuses them, so build the RLP here. */
function duplicateInputTx(ctx: CheatContext, utxoPos: bigint, utxo: LedgerUtxo): Uint8Array {
  const tx = payment([utxoPos, utxoPos], ctx.operatorAddress, utxo.token, utxo.amount);
  const sig = hexToBytes(signDigest(ctx.operatorKey, signingDigest(tx, ctx.verifyingContract)));
  const output = [
    bigintToMinimalBytes(1n),
    [
      addressToBytes(ctx.operatorAddress),
      addressToBytes(utxo.token),
      bigintToMinimalBytes(utxo.amount),
    ],
  ];
  return encodeRlp([
    [sig, sig],
    bigintToMinimalBytes(1n),
    [utxoPosToWord(utxoPos), utxoPosToWord(utxoPos)],
    [output],
    new Uint8Array(0),
    new Uint8Array(32),
  ]);
}

/** Crafts the bad transaction a block cheat injects (the withholding and root cheats inject none). */
export function craftBadTransaction(cheat: BlockCheat, ctx: CheatContext): Uint8Array | null {
  switch (cheat) {
    case 'withhold_block':
    case 'root_mismatch':
      return null;
    case 'bad_signature': {
      const { utxoPos, utxo } = needOperatorUtxo(ctx);
      const tx = payment([utxoPos], ctx.operatorAddress, utxo.token, utxo.amount);
      const strangerKey = `0x${'5e'.repeat(32)}` as Hex;
      return encodeSigned({ tx, sigs: signPayment(tx, [strangerKey], ctx.verifyingContract) });
    }
    case 'unknown_output': {
      const ghost = encodeUtxoPos({
        blknum: ctx.blknum > 1000n ? ctx.blknum - 1000n : 1000n,
        txindex: 65_000n,
        oindex: 3n,
      });
      const tx = payment([ghost], ctx.operatorAddress, `0x${'00'.repeat(20)}`, 1n);
      return encodeSigned({ tx, sigs: signPayment(tx, [ctx.operatorKey], ctx.verifyingContract) });
    }
    case 'double_spend_across_blocks': {
      if (!ctx.spentOutput)
        throw new CheatError('No output has been spent yet; make one payment first.');
      const { utxoPos, utxo } = ctx.spentOutput;
      const tx = payment([utxoPos], ctx.operatorAddress, utxo.token, utxo.amount);
      return encodeSigned({ tx, sigs: signPayment(tx, [ctx.operatorKey], ctx.verifyingContract) });
    }
    case 'double_spend_in_tx': {
      const { utxoPos, utxo } = needOperatorUtxo(ctx);
      return duplicateInputTx(ctx, utxoPos, utxo);
    }
    case 'outputs_exceed_inputs': {
      const { utxoPos, utxo } = needOperatorUtxo(ctx);
      const tx = payment([utxoPos], ctx.operatorAddress, utxo.token, utxo.amount + 1n);
      return encodeSigned({ tx, sigs: signPayment(tx, [ctx.operatorKey], ctx.verifyingContract) });
    }
    case 'malformed_transaction':
      // A list whose declared length runs past the end: not canonical RLP.
      return concatBytes(Uint8Array.of(0xf8, 0x80), wordFromBigint(ctx.blknum));
  }
}
