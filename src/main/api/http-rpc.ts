// The HTTP-RPC transport of the elixir-omg APIs (spec/watcher.md §3.1), shared by the devnet's
// child-chain server and the headless watcher: `POST /<family>.<method>` with a JSON body, answers
// in the `{version, success, data, service_name}` envelope, errors as `{object: "error", code, …}`.
// Hostile input (huge bodies, bad JSON, wrong content type, unknown paths) gets an error, never a crash.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJson, stringifyJson } from './json';

/** An error the API answers with: `code` such as `submit:utxo_not_found` or `operation:bad_request`. */
export class RpcError extends Error {
  constructor(
    readonly code: string,
    readonly description: string | null = null,
    readonly messages?: unknown,
  ) {
    super(description ?? code);
    this.name = 'RpcError';
  }
}

export interface RpcMethod {
  /** `alarm.get` and `configuration.get` are GET (query parameters); everything else POST. */
  verb?: 'GET' | 'POST';
  handler(params: Record<string, unknown>): unknown;
}

export interface RpcServerOptions {
  serviceName: string;
  version: string;
  methods: Record<string, RpcMethod>;
  /** Bodies larger than this are refused with `operation:bad_request` (default 16 MiB). */
  maxBodyBytes?: number;
  /** Unexpected handler failures (answered as `server:internal_server_error`, HTTP 500). */
  onInternalError?: (method: string, error: unknown) => void;
}

export interface RunningRpcServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** §3.1 validators: each throws `operation:bad_request` with `messages.validation_error`. */
export const validate = {
  fail(parameter: string, validator: string): never {
    throw new RpcError(
      'operation:bad_request',
      'Parameters required by this operation are missing or incorrect.',
      {
        validation_error: { parameter, validator },
      },
    );
  },
  hex(params: Record<string, unknown>, name: string, bytes?: number): string {
    const v = params[name];
    if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v))
      return validate.fail(name, ':hex');
    if (bytes !== undefined && v.length !== 2 + 2 * bytes)
      return validate.fail(name, `{:length, ${bytes}}`);
    return v.toLowerCase();
  },
  address(params: Record<string, unknown>, name: string): string {
    return validate.hex(params, name, 20);
  },
  hash(params: Record<string, unknown>, name: string): string {
    return validate.hex(params, name, 32);
  },
  hexList(params: Record<string, unknown>, name: string, maxItems: number): string[] {
    const v = params[name];
    if (!Array.isArray(v)) return validate.fail(name, ':list');
    if (v.length > maxItems) return validate.fail(name, `{:max_length, ${maxItems}}`);
    return v.map((_, i) => validate.hex(v as unknown as Record<string, unknown>, String(i)));
  },
  posInteger(params: Record<string, unknown>, name: string): bigint {
    const v = params[name];
    if (typeof v === 'bigint' && v > 0n) return v;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return BigInt(v);
    return validate.fail(
      name,
      typeof v === 'number' || typeof v === 'bigint' ? '{:greater, 0}' : ':integer',
    );
  },
  nonNegInteger(params: Record<string, unknown>, name: string): bigint {
    const v = params[name];
    if (typeof v === 'bigint' && v >= 0n) return v;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
    return validate.fail(
      name,
      typeof v === 'number' || typeof v === 'bigint' ? '{:greater, -1}' : ':integer',
    );
  },
};

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = stringifyJson(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'access-control-allow-origin': '*',
  });
  res.end(text);
}

/**
 * Reads the body up to `limit` bytes. A larger body is refused; the rest of it is drained (up to a
 * bound) rather than cut off, so the client still reads our answer.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () =>
      new RpcError('operation:bad_request', `The request body is larger than ${limit} bytes.`);
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume();
      reject(tooLarge());
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > 4 * limit) req.destroy();
    });
    req.on('end', () =>
      size > limit ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/** The Host header of a request meant for this machine (the servers listen on loopback only). */
const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::[0-9]{1,5})?$/i;

export async function startRpcServer(
  options: RpcServerOptions,
  port = 0,
  host = '127.0.0.1',
): Promise<RunningRpcServer> {
  const limit = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const envelope = (success: boolean, data: unknown) => ({
    version: options.version,
    success,
    data,
    service_name: options.serviceName,
  });
  const errorData = (e: RpcError) => ({
    object: 'error',
    code: e.code,
    description: e.description,
    ...(e.messages === undefined ? {} : { messages: e.messages }),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const name = url.pathname.replace(/^\/+/, '');
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) {
      // DNS rebinding: a web page whose name was pointed at 127.0.0.1 still sends its own name.
      await readBody(req, limit).catch(() => '');
      send(
        res,
        403,
        envelope(
          false,
          errorData(
            new RpcError(
              'operation:forbidden',
              'This server answers only requests addressed to 127.0.0.1, localhost or [::1].',
            ),
          ),
        ),
      );
      return;
    }
    if (req.method === 'OPTIONS') {
      res
        .writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-headers': 'content-type',
        })
        .end();
      return;
    }
    const method = Object.prototype.hasOwnProperty.call(options.methods, name)
      ? options.methods[name]
      : undefined;
    if (!method || (method.verb ?? 'POST') !== req.method) {
      await readBody(req, limit).catch(() => '');
      send(
        res,
        200,
        envelope(
          false,
          errorData(
            new RpcError('operation:not_found', 'Operation cannot be found. Check request URL.'),
          ),
        ),
      );
      return;
    }
    let params: Record<string, unknown> = {};
    try {
      if (req.method === 'GET') {
        params = Object.fromEntries(url.searchParams);
      } else {
        if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
          await readBody(req, limit).catch(() => '');
          send(
            res,
            415,
            envelope(
              false,
              errorData(
                new RpcError('operation:bad_request', 'Content-Type must be application/json.'),
              ),
            ),
          );
          return;
        }
        const text = await readBody(req, limit);
        const parsed = text.trim() === '' ? {} : parseJson(text);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          throw new RpcError('operation:bad_request', 'The request body must be a JSON object.');
        }
        params = parsed as Record<string, unknown>;
      }
    } catch (e) {
      const error =
        e instanceof RpcError
          ? e
          : new RpcError('operation:bad_request', 'The request body is not valid JSON.');
      send(res, 400, envelope(false, errorData(error)));
      return;
    }
    try {
      const data = await method.handler(params);
      send(res, 200, envelope(true, data));
    } catch (e) {
      if (e instanceof RpcError) {
        send(res, 200, envelope(false, errorData(e)));
        return;
      }
      options.onInternalError?.(name, e);
      send(
        res,
        500,
        envelope(
          false,
          errorData(
            new RpcError(
              'server:internal_server_error',
              'The server failed to answer; see its log.',
            ),
          ),
        ),
      );
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      options.onInternalError?.('(transport)', e);
      if (!res.headersSent)
        send(res, 500, envelope(false, errorData(new RpcError('server:internal_server_error'))));
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    port: address.port,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
