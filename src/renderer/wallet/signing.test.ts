import { afterAll, describe, expect, it } from 'vitest';
import omgjsVectors from '../../../../shared/vectors/omgjs-v1-public.json';
import { recoverSigner, signingDigest } from '../../plasma/eip712';
import { bytesToHex, hexToBytes } from '../../plasma/hex';
import { encodeMetadata } from '../../plasma/metadata';
import { BOB, pos, TOKEN } from '../../plasma/testing/fixtures';
import { decodePayment, decodeSigned, encodeSigned } from '../../plasma/tx';
import { ETH_TOKEN, type Address, type Hex, type PaymentTx, type Utxo } from '../../plasma/types';
import { selectCoins } from './coin-selection';
import { reviewTransaction, signTransaction } from './signing';
import { createVault } from './vault';

interface PaymentVector {
  id: string;
  quirk?: string;
  input: { verifyingContract: Address; signers: Hex[] };
  expected: {
    txBytes: Hex;
    txHash: Hex;
    signatures: Hex[];
    signerAddresses: Address[];
    signedTxBytes: Hex;
  };
}
// Imported as a module: the renderer's code (tests included) has no Node built-ins to read files with.
const vectors = omgjsVectors as unknown as { payment: PaymentVector[] };

/** UTXOs for the vector's inputs, owned by `owner`, funding every output (the surplus is the fee). */
function fundingInputs(tx: PaymentTx, owner: Address): Utxo[] | null {
  const tokens = [...new Set(tx.outputs.map((o) => o.token))];
  if (tokens.length > tx.inputs.length) return null;
  return tx.inputs.map((utxoPos, i) => {
    const token = tokens[i % tokens.length]!;
    const total = tx.outputs.filter((o) => o.token === token).reduce((s, o) => s + o.amount, 0n);
    return { utxoPos, owner, token, amount: i < tokens.length ? total + 1n : 1n };
  });
}

const PASSWORD = 'vector password';
const cases = vectors.payment.filter((v) => !v.quirk && v.input.signers.length > 0);
let throughSignTransaction = 0;

describe('signing against the published OMG client (shared vectors)', () => {
  it('covers every non-quirk payment vector', () => {
    expect(cases.length).toBe(32);
  });

  it.each(cases.map((v) => [v.id, v] as const))(
    '%s: the vault’s signatures and signed bytes match bit for bit',
    async (_id, v) => {
      const vault = await createVault(PASSWORD, { scryptN: 1 << 4 });
      for (const key of new Set(v.input.signers)) vault.importPrivateKey(key, 'Vector');
      // The unsigned bytes are covered by the codec's own vector tests; here they are the input.
      const tx = decodePayment(hexToBytes(v.expected.txBytes));
      // Input i is signed by the account of signers[i] (several owners: one signer per input).
      const sigs = v.expected.signerAddresses.map(
        (address, i) => vault.signer(address).signPayment(tx, v.input.verifyingContract)[i]!,
      );
      expect(sigs).toEqual(v.expected.signatures);
      expect(bytesToHex(encodeSigned({ tx, sigs }))).toBe(v.expected.signedTxBytes);

      // A single owner's payment goes through signTransaction, review and all.
      const owner = v.expected.signerAddresses[0]!;
      const inputs = fundingInputs(tx, owner);
      if (new Set(v.input.signers).size > 1 || inputs === null) return;
      const signed = signTransaction(
        vault.signer(owner),
        { tx, inputs },
        v.input.verifyingContract,
      );
      expect(signed.transaction).toBe(v.expected.signedTxBytes);
      expect(signed.txHash).toBe(v.expected.txHash);
      throughSignTransaction++;
    },
  );

  afterAll(() => expect(throughSignTransaction).toBeGreaterThanOrEqual(5));
});

describe('signTransaction', () => {
  const VC = '0x44de0ec539b8c4a4b530c78620fe8320167f2f74' as Address;

  async function account() {
    const vault = await createVault(PASSWORD, { scryptN: 1 << 4 });
    const { account } = vault.addMnemonic({ generate: 12 }, 'Me');
    return { vault, me: account.address, signer: vault.signer(account.address) };
  }

  it('signs a selected payment: the bytes decode to it, signed by the account, with an honest review', async () => {
    const { me, signer } = await account();
    const utxos: Utxo[] = [
      { utxoPos: pos(1000n), owner: me, token: TOKEN, amount: 500n },
      { utxoPos: pos(2000n), owner: me, token: ETH_TOKEN, amount: 30n },
      { utxoPos: pos(3000n), owner: me, token: TOKEN, amount: 50n },
    ];
    const metadata = encodeMetadata('rent');
    const selection = selectCoins(utxos, {
      from: me,
      to: BOB,
      token: TOKEN,
      amount: 520n,
      fee: { token: ETH_TOKEN, amount: 10n },
      metadata,
    });
    if (selection.kind !== 'payment') throw new Error('expected a payment');
    const signed = signTransaction(signer, selection, VC);

    const decoded = decodeSigned(hexToBytes(signed.transaction));
    expect(decoded.tx).toEqual(selection.tx);
    expect(decoded.sigs).toHaveLength(3);
    for (const sig of decoded.sigs)
      expect(recoverSigner(signingDigest(decoded.tx, VC), sig)).toBe(me);

    const r = signed.review;
    expect(r.from).toBe(me);
    expect(r.inputs.map((i) => i.amount)).toEqual([500n, 50n, 30n]);
    expect(r.sent).toEqual([{ token: TOKEN, amount: 520n }]);
    expect(r.change).toEqual([
      { token: TOKEN, amount: 30n },
      { token: ETH_TOKEN, amount: 20n },
    ]);
    expect(r.fee).toEqual([{ token: ETH_TOKEN, amount: 10n }]);
    expect(r.metadata).toBe(metadata);
    expect(r.outputs.filter((o) => !o.toSelf)).toEqual([
      { owner: BOB, token: TOKEN, amount: 520n, toSelf: false },
    ]);
  });

  it('refuses to review or sign what does not add up or is not the signer’s', async () => {
    const { me, signer } = await account();
    const input: Utxo = { utxoPos: pos(1000n), owner: me, token: ETH_TOKEN, amount: 100n };
    const tx: PaymentTx = {
      txType: 1n,
      inputs: [input.utxoPos],
      outputs: [{ outputType: 1n, outputGuard: BOB, token: ETH_TOKEN, amount: 90n }],
      txData: 0n,
      metadata: bytesToHex(new Uint8Array(32)),
    };
    expect(reviewTransaction({ tx, inputs: [input] }, me).fee).toEqual([
      { token: ETH_TOKEN, amount: 10n },
    ]);
    const bad = [
      { tx, inputs: [] },
      { tx, inputs: [{ ...input, utxoPos: pos(2000n) }] },
      { tx, inputs: [{ ...input, owner: BOB }] },
      { tx, inputs: [{ ...input, amount: 89n }] },
      { tx, inputs: [{ ...input, token: TOKEN }] },
    ];
    for (const spending of bad) {
      expect(() => signTransaction(signer, spending, VC)).toThrow(
        expect.objectContaining({ code: 'invalid_argument' }),
      );
    }
  });
});
