// The main-side request router: validates every request against the contract in src/shared/ipc.ts
// and turns every failure into a typed error with a stable code. No electron import here, so the
// same table serves the Electron shell, the headless watcher and the browser tests.
import { requestSchemas } from '../../shared/ipc-schemas';
import {
  MAX_REQUEST_BYTES,
  type IpcError,
  type IpcResponse,
  type RequestMethod,
  type RequestResult,
} from '../../shared/ipc';

/** One async function per request method, taking validated params. */
export type HandlerTable = {
  [M in RequestMethod]: (params: unknown) => Promise<RequestResult<M>> | RequestResult<M>;
};

/** An error a handler throws on purpose: its code and message reach the renderer as they are. */
export class HandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HandlerError';
  }
}

function isRequestMethod(method: unknown): method is RequestMethod {
  return typeof method === 'string' && Object.prototype.hasOwnProperty.call(requestSchemas, method);
}

function fail(code: IpcError['code'], message: string): IpcResponse<never> {
  return { ok: false, error: { code, message } };
}

/** Measures a request's JSON size without trusting it to be serialisable. */
function requestSize(params: unknown): number {
  try {
    return (
      JSON.stringify(params ?? null, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
        ?.length ?? 0
    );
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export interface DispatchOptions {
  /** Called with unexpected errors (never sent to the renderer). */
  onInternalError?: (method: string, error: unknown) => void;
}

export async function dispatch(
  table: HandlerTable,
  method: unknown,
  params: unknown,
  options: DispatchOptions = {},
): Promise<IpcResponse<unknown>> {
  if (!isRequestMethod(method)) {
    const shown = typeof method === 'string' ? `"${method.slice(0, 80)}"` : `a ${typeof method}`;
    return fail('unknown_method', `There is no request named ${shown}.`);
  }
  if (requestSize(params) > MAX_REQUEST_BYTES) {
    return fail(
      'payload_too_large',
      `The request ${method} is larger than ${MAX_REQUEST_BYTES} bytes.`,
    );
  }
  const parsed = requestSchemas[method].safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
    return fail(
      'invalid_params',
      `Invalid parameters for ${method}${where}: ${issue?.message ?? 'rejected'}.`,
    );
  }
  try {
    const handler = table[method] as (p: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof HandlerError) return fail(error.code, error.message);
    options.onInternalError?.(method, error);
    return fail(
      'internal_error',
      `The request ${method} failed inside Vigil; the log has the details.`,
    );
  }
}
