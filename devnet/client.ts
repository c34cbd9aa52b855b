// A small client of the child-chain API (spec/watcher.md §4): `POST <url>/<method>` with a JSON body,
// answers in the elixir-omg envelope. Used by the devnet CLI, the block filler and the chain tests.
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

/** Sends one request and returns the whole envelope (and the HTTP status), whatever it says. */
export async function requestChildChain(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  verb: 'GET' | 'POST' = 'POST',
): Promise<{ status: number; body: Envelope }> {
  const res = await fetch(
    `${url}/${method}`,
    verb === 'GET'
      ? { method: 'GET' }
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: stringifyJson(params),
        },
  );
  return { status: res.status, body: parseJson(await res.text()) as Envelope };
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
