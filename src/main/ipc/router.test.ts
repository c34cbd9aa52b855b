import { describe, expect, it, vi } from 'vitest';
import { MAX_REQUEST_BYTES, requestMethods } from '../../shared/ipc';
import { requestSchemas } from '../../shared/ipc-schemas';
import { createHandlerTable } from './app-handlers';
import { dispatch, HandlerError, type HandlerTable } from './router';

const facts = {
  appVersion: '1.2.3',
  electronVersion: '45.4.1',
  chromeVersion: '142.0.0.0',
  nodeVersion: '22.20.0',
  platform: 'linux',
  arch: 'x64',
  dataDirectory: '/home/a/.config/Vigil',
};
const table = createHandlerTable(facts);

describe('dispatch', () => {
  it('answers each app request with the facts it was given', async () => {
    expect(await dispatch(table, 'app.version', {})).toEqual({
      ok: true,
      value: { app: '1.2.3', electron: '45.4.1', chrome: '142.0.0.0', node: '22.20.0' },
    });
    expect(await dispatch(table, 'app.platform', undefined)).toEqual({
      ok: true,
      value: { os: 'linux', arch: 'x64' },
    });
    expect(await dispatch(table, 'app.dataDirectory', {})).toEqual({
      ok: true,
      value: { path: '/home/a/.config/Vigil' },
    });
  });

  it.each([
    ['unknown name', 'app.nope', {}, 'unknown_method'],
    ['inherited property name', 'toString', {}, 'unknown_method'],
    ['non-string method', { method: 'app.version' }, {}, 'unknown_method'],
    ['unknown field', 'app.version', { x: 1 }, 'invalid_params'],
    ['wrong type', 'app.platform', 'linux', 'invalid_params'],
    ['array params', 'app.platform', [], 'invalid_params'],
    [
      'huge payload',
      'app.version',
      { blob: 'x'.repeat(MAX_REQUEST_BYTES + 1) },
      'payload_too_large',
    ],
  ])('refuses %s with a typed error', async (_name, method, params, code) => {
    const response = await dispatch(table, method, params);
    expect(response).toMatchObject({ ok: false, error: { code } });
    if (!response.ok) expect(response.error.message.length).toBeGreaterThan(10);
  });

  it('refuses a payload that cannot be serialised', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(await dispatch(table, 'app.version', cyclic)).toMatchObject({
      ok: false,
      error: { code: 'payload_too_large' },
    });
  });

  it('passes a HandlerError through and hides any other failure', async () => {
    const onInternalError = vi.fn();
    const failing: HandlerTable = {
      ...table,
      'app.version': () => {
        throw new HandlerError('chain_invalid', 'The chain is invalid; payments are refused.');
      },
      'app.platform': () => {
        throw new TypeError('secret internals at /home/a/x.js:1:2');
      },
    };
    expect(await dispatch(failing, 'app.version', {})).toEqual({
      ok: false,
      error: { code: 'chain_invalid', message: 'The chain is invalid; payments are refused.' },
    });
    const hidden = await dispatch(failing, 'app.platform', {}, { onInternalError });
    expect(hidden).toEqual({
      ok: false,
      error: { code: 'internal_error', message: expect.not.stringContaining('secret') },
    });
    expect(onInternalError).toHaveBeenCalledWith('app.platform', expect.any(TypeError));
  });
});

describe('the contract', () => {
  it('has a runtime schema for exactly the methods it lists', () => {
    expect(Object.keys(requestSchemas).sort()).toEqual([...requestMethods].sort());
    expect(Object.keys(table).sort()).toEqual([...requestMethods].sort());
  });
});

describe('the wallet group before its services run', () => {
  it('answers every wallet request with service_unavailable, still checking params first', async () => {
    expect(await dispatch(table, 'vault.load', {})).toMatchObject({
      ok: false,
      error: { code: 'service_unavailable' },
    });
    expect(await dispatch(table, 'chain.account', { address: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_params' },
    });
  });
});
