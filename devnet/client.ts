// A small client of the child-chain API (spec/watcher.md §4): `POST <url>/<method>` with a JSON body,
// answers in the elixir-omg envelope. Used by the devnet CLI, the block filler and the chain tests.
import { request } from 'node:http';
import { parseJson, stringifyJson } from '../src/main/api/json';

export interface Envelope {
  version: string;
  success: boolean;
  data: unknown;
  service_name: string;
}

/** A `success: false` answer: `code` such as `submit:utxo_not_found` or `operation:bad_request`. */
export class ChildChainError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    readonly description: string | null,
  ) {
    super(`The operator refused ${method}: ${code}${description ? ` (${description})` : ''}`);
    this.name = 'ChildChainError';
  }
}

/**
 * Sends one request and returns the whole envelope (and the HTTP status), whatever it says. Each
 * request gets its own connection: a kept-alive socket that the server closes while this process is
 * busy (signing a 65,536-payment batch, say) would otherwise fail the next request with ECONNRESET.
 */
export function requestChildChain(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  verb: 'GET' | 'POST' = 'POST',
): Promise<{ status: number; body: Envelope }> {
  const payload = verb === 'POST' ? Buffer.from(stringifyJson(params)) : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/${method}`,
      {
        method: verb,
        agent: false,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': payload.length }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: parseJson(text) as Envelope });
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Calls a method and returns its `data`, or throws ChildChainError with the operator's code. */
export async function callChildChain<T = unknown>(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  verb: 'GET' | 'POST' = 'POST',
): Promise<T> {
  const { body } = await requestChildChain(url, method, params, verb);
  if (!body.success) {
    const data = body.data as { code?: string; description?: string | null };
    throw new ChildChainError(method, String(data.code), data.description ?? null);
  }
  return body.data as T;
}
