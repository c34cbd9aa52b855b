// The app's real start-up path without Electron: the BUILT main bundle (out/main/index.js) under a
// stub electron, with the wallet services ON, on a temp data directory. It proves the bundle's
// externals resolve from out/: better-sqlite3 (the watcher's store), the recovery pool's worker,
// the devnet child process (devnet/index.ts under tsx) and the vault file. Quitting stops the
// devnet child, and with it anvil.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as stub from './support/electron-stub';
import { REQUEST_CHANNEL } from '../src/shared/ipc';
import type { ChainSnapshot } from '../src/shared/wallet';
import { loadMainBundle, ownFrame } from './support/main-bundle';

vi.mock('electron', () => import('./support/electron-stub'));

type Answer =
  { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

const root = mkdtempSync(join(tmpdir(), 'vigil-bundle-'));
const userData = join(root, 'userData');

async function request(method: string, params: unknown): Promise<Answer> {
  const handle = stub.handlers.get(REQUEST_CHANNEL);
  if (!handle) throw new Error('the shell registered no request handler');
  return (await handle(ownFrame(), method, params)) as Answer;
}

/** Polls until `check` returns a value (no fixed sleeps: this machine is shared and busy). */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  limitMs: number,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  let last: unknown;
  for (;;) {
    const value = await check().catch((error: unknown) => ((last = error), undefined));
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen in time (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Processes whose command line mentions the temp data directory (the devnet child, its anvil). */
function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(dir) && Number(pid) !== process.pid) found.push(`${pid}: ${cmd}`);
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

let rpcUrl: string | undefined;

beforeAll(async () => {
  delete process.env['VIGIL_WALLET_SERVICES'];
  stub.app.pathRoot = root;
  await loadMainBundle();
  stub.app.emitReady();
}, 240_000);

afterAll(async () => {
  // Normally the last test has quit already; this is the safety net when an earlier one failed.
  if (!stub.app.quitCalled && stub.app.requestQuit())
    await until(
      'the services to stop',
      async () => (stub.app.quitCalled ? true : undefined),
      60_000,
    );
  rmSync(root, { recursive: true, force: true });
}, 90_000);

describe('the built main bundle with the wallet services on', () => {
  it('starts the devnet and the watcher: chain.snapshot reaches valid', async () => {
    const snapshot = await until(
      'a valid chain snapshot',
      async () => {
        const answer = await request('chain.snapshot', {});
        const s = answer.ok ? (answer.value as ChainSnapshot) : undefined;
        return s?.status.kind === 'valid' ? s : undefined;
      },
      200_000,
    );
    expect(snapshot.network.contracts.plasmaFramework).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(snapshot.status.kind).toBe('valid');
    const profile = JSON.parse(readFileSync(join(userData, 'devnet', 'network.json'), 'utf8')) as {
      rpcUrl: string;
    };
    rpcUrl = profile.rpcUrl;
    // The watcher's store is a better-sqlite3 database: the native module loaded from out/.
    expect(readdirSync(join(userData, 'watcher')).filter((f) => f.endsWith('.sqlite'))).toEqual([
      `watcher-31337-${snapshot.network.contracts.plasmaFramework.slice(2, 14).toLowerCase()}.sqlite`,
    ]);
    expect(processesUsing(root).length).toBeGreaterThan(0);
  }, 240_000);

  it('round-trips the vault through vault.save and vault.load, stored with mode 0600', async () => {
    const blob = JSON.stringify({ version: 1, ciphertext: 'c2VhbGVk', kdf: 'scrypt' });
    const saved = await request('vault.save', { blob });
    expect(saved).toMatchObject({ ok: true, value: { savedAt: expect.any(Number) } });
    expect(await request('vault.load', {})).toEqual({ ok: true, value: { blob } });
    expect(statSync(join(userData, 'vault.json')).mode & 0o777).toBe(0o600);
    expect(await request('vault.save', { blob: 'not json' })).toMatchObject({
      ok: false,
      error: { code: 'vault_invalid' },
    });
    expect(await request('vault.load', {})).toEqual({ ok: true, value: { blob } });
  });

  it('stops the devnet child and its anvil when the app quits', async () => {
    expect(stub.app.requestQuit()).toBe(true);
    await until(
      'the services to stop',
      async () => (stub.app.quitCalled ? true : undefined),
      60_000,
    );
    await until(
      'the devnet processes to end',
      async () => (processesUsing(root).length === 0 ? true : undefined),
      30_000,
    );
    expect(rpcUrl).toBeDefined();
    const refused = await fetch(rpcUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
    }).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);
  }, 90_000);
});
