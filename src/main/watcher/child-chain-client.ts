// The operator's HTTP-RPC API as the watcher consumes it (spec/watcher.md §4): `POST <url>/<method>`
// with a JSON body, answers in the elixir-omg envelope. The operator is untrusted: every answer is
// bounded in time and size, and every way it can go wrong is a ChildChainError with a stable code,
// never a crash. For block.get every such error counts as a potential withholding.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { stringifyJson, parseJson } from '../api/json';
import type { Hex } from '../../plasma/types';

export type ChildChainErrorCode =
  /** Nothing listens at the URL (spec: `host_unreachable`). */
  | 'connection_refused'
  /** No complete answer within the request timeout. */
  | 'timeout'
  /** Any other transport failure (reset, DNS, TLS…). */
  | 'transport_error'
  /** The answer is not HTTP 200. */
  | 'http_error'
  /** The body is larger than the configured cap; it was not read further. */
  | 'response_too_large'
  /** The body is not JSON. */
  | 'not_json'
  /** JSON, but not the `{success, data}` envelope. */
  | 'bad_envelope'
  /** The operator answered `success: false` with its own error code (`operatorCode`). */
  | 'operator_error'
  /** `success: true`, but the data is not what the method returns. */
  | 'bad_response';

export class ChildChainError extends Error {
  constructor(
    readonly code: ChildChainErrorCode,
    message: string,
    readonly details: {
      method?: string;
      httpStatus?: number;
      /** The operator's own code, e.g. `get_block:not_found` or `submit:utxo_not_found`. */
      operatorCode?: string;
      /** The operator's error object, as sent. */
      data?: unknown;
    } = {},
  ) {
    super(message);
    this.name = 'ChildChainError';
  }
}

export function isChildChainError(e: unknown): e is ChildChainError {
  return e instanceof ChildChainError;
}

export interface ChildChainClientOptions {
  /** Base URL of the operator, e.g. `http://127.0.0.1:9656`. */
  url: string;
  /** Whole request (connect, send, read the full body). */
  timeoutMs: number;
  /** Bodies larger than this are refused while streaming. */
  maxResponseBytes: number;
  /** Sent as `X-Watcher-Version`. */
  version?: string;
}

/** What `block.get` returns, with the transactions as bytes (in block order). */
export interface BlockGetData {
  blknum: bigint;
  /** As the operator sent it, lowercased; the validator compares it with the requested root. */
  hash: string;
  transactions: Uint8Array[];
}

export interface SubmitData {
  blknum: bigint;
  txindex: number;
  txhash: Hex;
}

const HEX_STRING = /^0x[0-9a-fA-F]*$/;

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Strict 0x hex to bytes; undefined if `value` is not that. Buffer decodes a 20 MB block fast. */
function hexBytes(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || value.length % 2 !== 0 || !value.startsWith('0x'))
    return undefined;
  const bytes = Buffer.from(value.slice(2), 'hex');
  // Buffer stops at the first non-hex pair: a short result means a bad character.
  return bytes.length * 2 === value.length - 2 ? bytes : undefined;
}

function integer(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return undefined;
}

export class ChildChainClient {
  private readonly base: URL;

  constructor(readonly options: ChildChainClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new ChildChainError(
        'transport_error',
        `The child chain URL ${JSON.stringify(options.url)} is not a URL.`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new ChildChainError(
        'transport_error',
        `The child chain URL must be http or https, not ${url.protocol}`,
      );
    this.base = url;
  }

  get url(): string {
    return this.options.url;
  }

  /**
   * One call: the `data` of a successful answer, or a ChildChainError. Never rejects with anything
   * else, whatever the operator sends.
   */
  async call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const body = await this.post(method, stringifyJson(params));
    let parsed: unknown;
    try {
      parsed = parseJson(body.text);
    } catch (e) {
      if (body.status !== 200) throw this.httpError(method, body.status, undefined);
      throw new ChildChainError(
        'not_json',
        `The operator's answer to ${method} is not JSON (${describe(e)}).`,
        { method },
      );
    }
    const envelope = parsed as { success?: unknown; data?: unknown } | null;
    const isEnvelope =
      envelope !== null &&
      typeof envelope === 'object' &&
      !Array.isArray(envelope) &&
      typeof envelope.success === 'boolean' &&
      'data' in envelope;
    if (body.status !== 200)
      throw this.httpError(method, body.status, isEnvelope ? envelope.data : undefined);
    if (!isEnvelope)
      throw new ChildChainError(
        'bad_envelope',
        `The operator's answer to ${method} is not an elixir-omg envelope {success, data}.`,
        { method },
      );
    if (envelope.success) return envelope.data;
    const code = operatorCode(envelope.data);
    if (code === undefined)
      throw new ChildChainError(
        'bad_envelope',
        `The operator refused ${method} without an error code.`,
        { method, data: envelope.data },
      );
    const description = (envelope.data as { description?: unknown }).description;
    throw new ChildChainError(
      'operator_error',
      `The operator refused ${method}: ${code}${typeof description === 'string' ? ` (${description})` : ''}.`,
      { method, operatorCode: code, data: envelope.data },
    );
  }

  /** The block with root `hash` (spec §4 `block.get`), shape-checked; not validated. */
  async blockGet(hash: Hex): Promise<BlockGetData> {
    const data = await this.call('block.get', { hash });
    const bad = (what: string): never => {
      throw new ChildChainError('bad_response', `The operator's block.get answer ${what}.`, {
        method: 'block.get',
      });
    };
    if (data === null || typeof data !== 'object' || Array.isArray(data))
      return bad('is not an object');
    const d = data as Record<string, unknown>;
    const blknum = integer(d.blknum);
    if (blknum === undefined) bad('has no integer blknum');
    if (typeof d.hash !== 'string' || d.hash.length > 200) bad('has no hash string');
    if (!Array.isArray(d.transactions)) bad('has no transactions list');
    const list = d.transactions as unknown[];
    const transactions: Uint8Array[] = new Array<Uint8Array>(list.length);
    for (let i = 0; i < list.length; i++) {
      const bytes = hexBytes(list[i]);
      if (!bytes) bad(`has transaction ${i} that is not 0x hex`);
      transactions[i] = bytes!;
    }
    return { blknum: blknum!, hash: (d.hash as string).toLowerCase(), transactions };
  }

  /** `transaction.submit`: where the operator put the transaction. */
  async submit(signedTx: Uint8Array): Promise<SubmitData> {
    const data = await this.call('transaction.submit', {
      transaction: `0x${Buffer.from(signedTx).toString('hex')}`,
    });
    return submitData(data, 'transaction.submit');
  }

  /** `transaction.batch_submit`: one result or error object per transaction, in order. */
  async batchSubmit(
    signedTxs: readonly Uint8Array[],
  ): Promise<(SubmitData | { error: unknown })[]> {
    const data = await this.call('transaction.batch_submit', {
      transactions: signedTxs.map((t) => `0x${Buffer.from(t).toString('hex')}`),
    });
    if (!Array.isArray(data))
      throw new ChildChainError(
        'bad_response',
        "The operator's transaction.batch_submit answer is not a list.",
        { method: 'transaction.batch_submit' },
      );
    return data.map((r: unknown) =>
      r !== null && typeof r === 'object' && 'error' in r
        ? { error: (r as { error: unknown }).error }
        : submitData(r, 'transaction.batch_submit'),
    );
  }

  /** `fees.all` as sent (amounts as bigint where they exceed 2^53). */
  feesAll(params: { currencies?: string[]; tx_types?: number[] } = {}): Promise<unknown> {
    return this.call('fees.all', params);
  }

  private httpError(method: string, status: number, data: unknown): ChildChainError {
    const code = operatorCode(data);
    return new ChildChainError(
      'http_error',
      `The operator answered ${method} with HTTP ${status}${code ? ` (${code})` : ''}.`,
      { method, httpStatus: status, ...(code ? { operatorCode: code, data } : {}) },
    );
  }

  /** Sends one POST and reads the whole body, bounded in time and size. */
  private post(method: string, payload: string): Promise<{ status: number; text: string }> {
    const { timeoutMs, maxResponseBytes } = this.options;
    const url = new URL(method, this.base.href.endsWith('/') ? this.base : `${this.base.href}/`);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (e: ChildChainError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(e);
      };
      const timer = setTimeout(
        () =>
          fail(
            new ChildChainError(
              'timeout',
              `The operator did not answer ${method} within ${timeoutMs} ms.`,
              { method },
            ),
          ),
        timeoutMs,
      );
      const req = request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-watcher-version': this.options.version ?? 'vigil',
        },
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ECONNREFUSED')
          fail(
            new ChildChainError(
              'connection_refused',
              `The operator at ${this.base.origin} refused the connection (is it running?).`,
              { method },
            ),
          );
        else
          fail(
            new ChildChainError(
              'transport_error',
              `The connection to the operator failed during ${method}: ${describe(e)}.`,
              { method },
            ),
          );
      });
      req.on('response', (res: IncomingMessage) => {
        const tooLarge = () =>
          fail(
            new ChildChainError(
              'response_too_large',
              `The operator's answer to ${method} is larger than ${maxResponseBytes} bytes; refused.`,
              { method, httpStatus: res.statusCode },
            ),
          );
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxResponseBytes) {
          tooLarge();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          if (size > maxResponseBytes) tooLarge();
          else chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks, size).toString() });
        });
        res.on('error', (e) =>
          fail(
            new ChildChainError(
              'transport_error',
              `The operator's answer to ${method} broke off: ${describe(e)}.`,
              { method },
            ),
          ),
        );
        res.on('aborted', () =>
          fail(
            new ChildChainError(
              'transport_error',
              `The operator's answer to ${method} broke off.`,
              { method },
            ),
          ),
        );
      });
      req.end(payload);
    });
  }
}

function operatorCode(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const code = (data as { code?: unknown }).code;
  return typeof code === 'string' && code.length <= 200 ? code : undefined;
}

function submitData(data: unknown, method: string): SubmitData {
  const d = (data ?? {}) as Record<string, unknown>;
  const blknum = integer(d.blknum);
  const txindex = integer(d.txindex);
  const txhash = d.txhash;
  if (
    blknum === undefined ||
    txindex === undefined ||
    txindex > 65_535n ||
    typeof txhash !== 'string' ||
    txhash.length !== 66 ||
    !HEX_STRING.test(txhash)
  ) {
    throw new ChildChainError(
      'bad_response',
      `The operator's ${method} answer is not {blknum, txindex, txhash}.`,
      { method },
    );
  }
  return { blknum, txindex: Number(txindex), txhash: txhash.toLowerCase() as Hex };
}
