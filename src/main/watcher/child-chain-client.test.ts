// The operator client against a local server that answers the way a broken or hostile operator
// would: every failure is a ChildChainError with its code, never a crash or a hang.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsRecoverer } from '../../plasma/recover';
import { checkBlock } from './block-validator';
import { ChildChainClient, ChildChainError } from './child-chain-client';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const HASH = `0x${'ab'.repeat(32)}` as const;
let handler: Handler = () => undefined;
const seen: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    seen.push({ url: req.url ?? '', headers: req.headers, body });
    handler(req, res, body);
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

const client = (over: Partial<{ timeoutMs: number; maxResponseBytes: number }> = {}) =>
  new ChildChainClient({ url, timeoutMs: 2_000, maxResponseBytes: 1 << 20, ...over });

const json = (res: ServerResponse, body: string, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
};
const ok = (data: unknown) =>
  JSON.stringify({ version: '1', success: true, data, service_name: 'child_chain' });

async function failure(p: Promise<unknown>): Promise<ChildChainError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ChildChainError);
  return e as ChildChainError;
}

describe('ChildChainClient', () => {
  it('posts block.get in the elixir-omg format and returns the transactions as bytes', async () => {
    handler = (_req, res) =>
      json(
        res,
        ok({
          blknum: 1000,
          hash: HASH.toUpperCase().replace('0X', '0x'),
          transactions: ['0x01ff', '0x'],
        }),
      );
    const block = await client().blockGet(HASH);
    expect(block.blknum).toBe(1000n);
    expect(block.hash).toBe(HASH);
    expect(block.transactions.map((t) => Buffer.from(t).toString('hex'))).toEqual(['01ff', '']);
    const last = seen.at(-1)!;
    expect(last.url).toBe('/block.get');
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers['x-watcher-version']).toBeDefined();
    expect(JSON.parse(last.body)).toEqual({ hash: HASH });
  });

  it('keeps integers beyond 2^53 exact', async () => {
    handler = (_req, res) =>
      res.end(
        `{"version":"1","success":true,"data":{"blknum":123456789012345678901,"hash":"${HASH}","transactions":[]}}`,
      );
    expect((await client().blockGet(HASH)).blknum).toBe(123456789012345678901n);
  });

  it('hands a block served for another hash to the validator, which refuses it', async () => {
    const other = `0x${'cd'.repeat(32)}`;
    handler = (_req, res) => json(res, ok({ blknum: 1000, hash: other, transactions: [] }));
    const block = await client().blockGet(HASH);
    expect(block.hash).toBe(other);
    const verdict = await checkBlock(
      { blknum: 1000n, hash: HASH, ethHeight: 1, timestamp: 1 },
      block,
      { verifyingContract: `0x${'11'.repeat(20)}`, recoverer: jsRecoverer },
    );
    expect(verdict).toMatchObject({ ok: false, errorType: 'bad_returned_hash' });
  });

  it('reports success:false with the operator code', async () => {
    handler = (_req, res) =>
      json(
        res,
        JSON.stringify({
          version: '1',
          success: false,
          data: { object: 'error', code: 'get_block:not_found', description: null },
        }),
      );
    const e = await failure(client().blockGet(HASH));
    expect(e.code).toBe('operator_error');
    expect(e.details.operatorCode).toBe('get_block:not_found');
  });

  it('refuses an answer larger than the cap, announced or streamed', async () => {
    handler = (_req, res) =>
      json(res, ok({ blknum: 1, hash: HASH, transactions: ['0x' + 'aa'.repeat(600_000)] }));
    expect((await failure(client().blockGet(HASH))).code).toBe('response_too_large');
    // Chunked, no content-length: the client stops reading past the cap.
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 400 && res.write(chunk)) sent++;
        if (sent < 400 && !res.destroyed) res.once('drain', pump);
        else res.end();
      };
      res.on('error', () => undefined);
      pump();
    };
    expect((await failure(client().blockGet(HASH))).code).toBe('response_too_large');
  });

  it('times out on a slow operator', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"success":'); // and never more
    };
    const e = await failure(client({ timeoutMs: 300 }).blockGet(HASH));
    expect(e.code).toBe('timeout');
  });

  it('says non-JSON, wrong envelope and wrong shape apart', async () => {
    handler = (_req, res) => json(res, '<html>502 Bad Gateway</html>');
    expect((await failure(client().blockGet(HASH))).code).toBe('not_json');
    handler = (_req, res) => json(res, '[1,2,3]');
    expect((await failure(client().blockGet(HASH))).code).toBe('bad_envelope');
    handler = (_req, res) => json(res, JSON.stringify({ success: false, data: 'nope' }));
    expect((await failure(client().blockGet(HASH))).code).toBe('bad_envelope');
    for (const data of [
      null,
      [],
      { blknum: '1000', hash: HASH, transactions: [] },
      { blknum: 1.5, hash: HASH, transactions: [] },
      { blknum: 1000, transactions: [] },
      { blknum: 1000, hash: HASH, transactions: {} },
      { blknum: 1000, hash: HASH, transactions: ['0xzz'] },
      { blknum: 1000, hash: HASH, transactions: ['0x123'] },
      { blknum: 1000, hash: HASH, transactions: [7] },
    ]) {
      handler = (_req, res) => json(res, ok(data));
      const e = await failure(client().blockGet(HASH));
      expect(e.code, JSON.stringify(data)).toBe('bad_response');
    }
  });

  it('reports HTTP errors with the status and any operator code', async () => {
    handler = (_req, res) => json(res, 'Internal Server Error', 500);
    let e = await failure(client().blockGet(HASH));
    expect(e.code).toBe('http_error');
    expect(e.details.httpStatus).toBe(500);
    handler = (_req, res) =>
      json(res, JSON.stringify({ success: false, data: { code: 'operation:bad_request' } }), 400);
    e = await failure(client().blockGet(HASH));
    expect(e.code).toBe('http_error');
    expect(e.details.operatorCode).toBe('operation:bad_request');
  });

  it('reports a connection cut mid-answer as a transport error', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"success":true,');
      setTimeout(() => req.socket.destroy(), 20);
    };
    const e = await failure(client().blockGet(HASH));
    expect(['transport_error', 'timeout']).toContain(e.code);
  });

  it('reports a refused connection', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = new ChildChainClient({
      url: `http://127.0.0.1:${port}`,
      timeoutMs: 2_000,
      maxResponseBytes: 1000,
    });
    const e = await failure(down.blockGet(HASH));
    expect(e.code).toBe('connection_refused');
  });

  it('parses submit answers and refuses malformed ones', async () => {
    handler = (_req, res) => json(res, ok({ blknum: 2000, txindex: 3, txhash: HASH }));
    expect(await client().submit(Uint8Array.of(1, 2))).toEqual({
      blknum: 2000n,
      txindex: 3,
      txhash: HASH,
    });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ transaction: '0x0102' });
    handler = (_req, res) => json(res, ok({ blknum: 2000 }));
    expect((await failure(client().submit(Uint8Array.of(1)))).code).toBe('bad_response');
    handler = (_req, res) =>
      json(res, ok([{ blknum: 2000, txindex: 0, txhash: HASH }, { error: { code: 'submit:x' } }]));
    expect(await client().batchSubmit([Uint8Array.of(1), Uint8Array.of(2)])).toEqual([
      { blknum: 2000n, txindex: 0, txhash: HASH },
      { error: { code: 'submit:x' } },
    ]);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(
      () => new ChildChainClient({ url: 'ftp://x', timeoutMs: 1, maxResponseBytes: 1 }),
    ).toThrow(ChildChainError);
    expect(() => new ChildChainClient({ url: 'nope', timeoutMs: 1, maxResponseBytes: 1 })).toThrow(
      ChildChainError,
    );
  });
});
