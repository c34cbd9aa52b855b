// Runtime schemas for every request's params, checked in main before any handler runs.
// Kept apart from ipc.ts so the preload and renderer do not bundle zod. Every object is strict
// (an unknown field is refused), every string is capped, and hex and addresses are checked here so
// the handlers only ever see well-formed values.
import { z } from 'zod';
import type { NoticeRoute } from './exits';
import type { RequestMethod, RequestParams } from './ipc';

const noParams = z.object({}).strict();

/** The encrypted vault's JSON text, at most 1 MB (the request cap of ipc.ts applies as well). */
export const MAX_VAULT_CHARS = 1_000_000;
export const MAX_HISTORY_LIMIT = 1000;
export const MAX_SEARCH_CHARS = 200;
/** A signed child-chain payment (4 inputs, 4 outputs) is under 1 KB; this leaves room and no more. */
export const MAX_SIGNED_TX_BYTES = 16 * 1024;
/** Ethereum transactions and call data the wallet sends: deposits and approvals are a few hundred bytes. */
export const MAX_ETH_DATA_BYTES = 64 * 1024;
export const MAX_PROFILE_CHARS = 64 * 1024;
/** An exit proof bundle: about 1.5 KB per output, so the request cap of ipc.ts holds hundreds. */
export const MAX_BUNDLE_CHARS = 1_000_000;
/** Outputs added to the exit outbox in one request. */
export const MAX_OUTBOX_BATCH = 1000;

/** A 20-byte 0x address, any case, lowercased. */
export const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 20-byte 0x address')
  .transform((a) => a.toLowerCase());
/** A 32-byte 0x hash, any case, lowercased. */
export const hash = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 32-byte 0x hash')
  .transform((h) => h.toLowerCase());
const bytes = (maxBytes: number) =>
  z
    .string()
    .max(2 + 2 * maxBytes, `must be at most ${maxBytes} bytes`)
    .regex(/^0x(?:[0-9a-fA-F]{2})*$/, 'must be 0x hex of whole bytes')
    .transform((h) => h.toLowerCase());
const decimal = z.string().regex(/^(?:0|[1-9][0-9]{0,77})$/, 'must be a decimal integer string');

export const requestSchemas: { [M in RequestMethod]: z.ZodType<RequestParams<M>> } = {
  'app.version': noParams,
  'app.platform': noParams,
  'app.dataDirectory': noParams,
  'vault.load': noParams,
  'vault.save': z.object({ blob: z.string().min(2).max(MAX_VAULT_CHARS) }).strict(),
  'chain.snapshot': noParams,
  'chain.account': z.object({ address }).strict(),
  'chain.history': z
    .object({
      address,
      search: z.string().max(MAX_SEARCH_CHARS).optional(),
      limit: z.number().int().min(1).max(MAX_HISTORY_LIMIT).optional(),
    })
    .strict(),
  'chain.fees': noParams,
  'chain.submit': z.object({ transaction: bytes(MAX_SIGNED_TX_BYTES) }).strict(),
  'eth.account': z.object({ address }).strict(),
  'eth.token': z.object({ address }).strict(),
  'eth.allowance': z.object({ owner: address, token: address }).strict(),
  'eth.feeData': noParams,
  'eth.estimateGas': z
    .object({ from: address, to: address, data: bytes(MAX_ETH_DATA_BYTES), value: decimal })
    .strict(),
  'eth.send': z.object({ raw: bytes(MAX_ETH_DATA_BYTES) }).strict(),
  'deposit.progress': z.object({ ethTxHash: hash }).strict(),
  'network.list': noParams,
  'network.add': z.object({ profile: z.string().min(2).max(MAX_PROFILE_CHARS) }).strict(),
  'network.select': z
    .object({
      id: z
        .string()
        .max(100)
        .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a network id'),
    })
    .strict(),
  'settings.get': noParams,
  'settings.set': z
    .object({
      idleLockMinutes: z.number().int().min(0).max(1440).optional(),
      notifications: z.boolean().optional(),
    })
    .strict(),
  'exit.list': z.object({ address }).strict(),
  'exit.data': z.object({ utxoPos: decimal }).strict(),
  'exit.challengeData': z.object({ utxoPos: decimal, challenger: address.optional() }).strict(),
  'exit.processCall': z
    .object({ token: address, maxExits: z.number().int().min(1).max(1000).optional() })
    .strict(),
  'exit.plan': z.object({ address }).strict(),
  'exit.outbox.add': z
    .object({ address, utxoPositions: z.array(decimal).min(1).max(MAX_OUTBOX_BATCH) })
    .strict(),
  'exit.outbox.list': z.object({ address }).strict(),
  'exit.outbox.markSent': z.object({ id: z.number().int().min(1), ethTxHash: hash }).strict(),
  'exit.bundle.export': z.object({ address }).strict(),
  'exit.bundle.import': z.object({ json: z.string().min(2).max(MAX_BUNDLE_CHARS) }).strict(),
  'safeMode.get': noParams,
  'safeMode.acknowledge': noParams,
};

/**
 * The route of a notice, checked in main before a notification click sends it to the window (the
 * renderer checks it again: it opens only the places it knows).
 */
export const noticeRouteSchema: z.ZodType<NoticeRoute> = z.discriminatedUnion('target', [
  z.object({ screen: z.literal('exits'), target: z.literal('exit-everything') }).strict(),
  z
    .object({ screen: z.literal('exits'), target: z.literal('challenge'), utxoPos: decimal })
    .strict(),
  z.object({ screen: z.literal('home'), target: z.literal('status') }).strict(),
]);
