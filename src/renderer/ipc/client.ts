// The renderer's typed client for the IPC contract. The preload gives us untyped envelopes on
// `window.vigil`; this turns them into typed results or a thrown `IpcRequestError`.
import {
  BRIDGE_KEY,
  type EventName,
  type EventPayloads,
  type IpcError,
  type RequestMethod,
  type RequestParams,
  type RequestResult,
  type VigilBridge,
} from '../../shared/ipc';

export class IpcRequestError extends Error {
  readonly code: string;
  constructor(error: IpcError) {
    super(error.message);
    this.name = 'IpcRequestError';
    this.code = error.code;
  }
}

function bridge(): VigilBridge {
  const found = (window as unknown as Record<string, VigilBridge | undefined>)[BRIDGE_KEY];
  if (!found)
    throw new IpcRequestError({
      code: 'bridge_missing',
      message: 'Vigil must be opened from the desktop app.',
    });
  return found;
}

export async function request<M extends RequestMethod>(
  method: M,
  ...params: Record<string, never> extends RequestParams<M>
    ? [RequestParams<M>?]
    : [RequestParams<M>]
): Promise<RequestResult<M>> {
  const response = await bridge().request(method, params[0] ?? {});
  if (!response.ok) throw new IpcRequestError(response.error);
  return response.value as RequestResult<M>;
}

export function subscribe<E extends EventName>(
  event: E,
  listener: (payload: EventPayloads[E]) => void,
): () => void {
  return bridge().on(event, listener as (payload: unknown) => void);
}
