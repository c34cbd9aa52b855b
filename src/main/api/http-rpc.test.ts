import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcError, startRpcServer, validate, type RunningRpcServer } from './http-rpc';

let api: RunningRpcServer;
const internal: string[] = [];

beforeAll(async () => {
  api = await startRpcServer({
    serviceName: 'child_chain',
    version: '0.1.0+test',
    maxBodyBytes: 1024,
    onInternalError: (m) => internal.push(m),
    methods: {
      'echo.pos': {
        handler: (p) => ({
          utxo_pos: validate.posInteger(p, 'utxo_pos'),
          hash: validate.hash(p, 'hash'),
        }),
      },
      'fail.domain': {
        handler: () => {
          throw new RpcError('submit:utxo_not_found', null);
        },
      },
      'fail.crash': {
        handler: () => {
          throw new Error('secret');
        },
      },
      'configuration.get': { verb: 'GET', handler: (p) => ({ network: 'LOCALCHAIN', query: p }) },
    },
  });
});
afterAll(() => api.close());

async function post(path: string, body: string, contentType = 'application/json') {
  const res = await fetch(`${api.url}/${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return {
    status: res.status,
    json: (await res.json()) as Record<string, unknown> & { data: Record<string, unknown> },
  };
}

const HASH = `0x${'11'.repeat(32)}`;

describe('the HTTP-RPC transport', () => {
  it('answers in the elixir-omg envelope with exact big integers', async () => {
    const res = await fetch(`${api.url}/echo.pos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"utxo_pos": 180143985094000000001, "hash": "${HASH.toUpperCase().replace('0X', '0x')}"}`,
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('"utxo_pos":180143985094000000001');
    expect(JSON.parse(text)).toMatchObject({
      version: '0.1.0+test',
      success: true,
      service_name: 'child_chain',
      data: { hash: HASH },
    });
  });

  it('reports validation failures with the parameter and validator', async () => {
    const { json } = await post('echo.pos', JSON.stringify({ utxo_pos: 0, hash: HASH }));
    expect(json.success).toBe(false);
    expect(json.data).toEqual({
      object: 'error',
      code: 'operation:bad_request',
      description: expect.any(String),
      messages: { validation_error: { parameter: 'utxo_pos', validator: '{:greater, 0}' } },
    });
    const short = await post('echo.pos', JSON.stringify({ utxo_pos: 1, hash: '0x1234' }));
    expect(short.json.data['messages']).toEqual({
      validation_error: { parameter: 'hash', validator: '{:length, 32}' },
    });
  });

  it('renders domain errors as code with null description', async () => {
    const { status, json } = await post('fail.domain', '{}');
    expect(status).toBe(200);
    expect(json.data).toEqual({
      object: 'error',
      code: 'submit:utxo_not_found',
      description: null,
    });
  });

  it('hides crashes behind server:internal_server_error', async () => {
    const { status, json } = await post('fail.crash', '{}');
    expect(status).toBe(500);
    expect(json.data['code']).toBe('server:internal_server_error');
    expect(JSON.stringify(json)).not.toContain('secret');
    expect(internal).toContain('fail.crash');
  });

  it.each([
    [
      'malformed JSON',
      'echo.pos',
      '{"utxo_pos":',
      'application/json',
      400,
      'operation:bad_request',
    ],
    ['a JSON array', 'echo.pos', '[1]', 'application/json', 400, 'operation:bad_request'],
    ['a wrong content type', 'echo.pos', '{}', 'text/plain', 415, 'operation:bad_request'],
    [
      'an oversized body',
      'echo.pos',
      JSON.stringify({ x: 'y'.repeat(5000) }),
      'application/json',
      400,
      'operation:bad_request',
    ],
    ['an unknown operation', 'nope.get', '{}', 'application/json', 200, 'operation:not_found'],
    ['an inherited name', 'constructor', '{}', 'application/json', 200, 'operation:not_found'],
  ])('refuses %s', async (_name, path, body, type, status, code) => {
    const res = await post(path, body, type);
    expect(res.status).toBe(status);
    expect(res.json.success).toBe(false);
    expect(res.json.data['code']).toBe(code);
  });

  it('serves GET methods with query parameters, and refuses POST to them', async () => {
    const res = await fetch(`${api.url}/configuration.get?x=1`);
    expect(((await res.json()) as { data: unknown }).data).toEqual({
      network: 'LOCALCHAIN',
      query: { x: '1' },
    });
    expect((await post('configuration.get', '{}')).json.data['code']).toBe('operation:not_found');
  });

  it('refuses a request that names another host (a DNS-rebinding page), and serves loopback names', async () => {
    const withHost = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${api.url}/configuration.get`, { headers: { host } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const evil = await withHost('evil.example:7434');
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body)).toMatchObject({
      success: false,
      data: { code: 'operation:forbidden' },
    });
    for (const host of [
      `127.0.0.1:${api.port}`,
      `localhost:${api.port}`,
      `[::1]:${api.port}`,
      'localhost',
    ])
      expect((await withHost(host)).status).toBe(200);
  });
});
