import { afterEach, describe, expect, it } from 'vitest';
import { parseJson } from '../api/json';
import { startWatcherApi } from './api';
import { ethereumProgress, getterProgress, testWatcher, type TestWatcher } from './testing';

let t: TestWatcher | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  await t?.watcher.stop();
  t = undefined;
  close = undefined;
});

async function serve(): Promise<{ t: TestWatcher; url: string }> {
  t = testWatcher();
  const api = await startWatcherApi(t.watcher, 0);
  close = api.close;
  return { t, url: api.url };
}

async function call(url: string, method: string, verb: 'GET' | 'POST' = 'POST') {
  const res = await fetch(`${url}/${method}`, {
    method: verb,
    ...(verb === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
  });
  return parseJson(await res.text()) as {
    success: boolean;
    service_name: string;
    data: Record<string, unknown> & { code?: string };
  };
}

describe('watcher HTTP API (elixir-omg format)', () => {
  it('status.get carries every field of spec §3.3 with exact numbers', async () => {
    const { t, url } = await serve();
    t.follower.next = () =>
      ethereumProgress({
        headHeight: 250,
        headTimestamp: 1_700_000_250,
        lastMinedChildBlock: 123_000_000_000_000_000_000n,
        lastMinedChildBlockTimestamp: 1_700_000_200,
        lastPollAt: t.clock.now,
        lastHeightChangeAt: t.clock.now,
      });
    t.getter.next = () => getterProgress({ lastAppliedBlock: 0n });
    t.store.setHeights({ depositor: 248, block_getter: 250 });
    t.store.upsertByzantineEvent('invalid_block', '1000', {
      blknum: 1000n,
      hash: `0x${'cd'.repeat(32)}`,
      error_type: 'tx_execution',
    });
    await t.watcher.round();
    const body = await call(url, 'status.get');
    expect(body.success).toBe(true);
    expect(body.service_name).toBe('watcher');
    const d = body.data;
    expect(d.last_mined_child_block_number).toBe(123_000_000_000_000_000_000n);
    expect(d.last_seen_eth_block_number).toBe(250);
    expect(d.last_seen_eth_block_timestamp).toBe(1_700_000_250);
    expect(d.last_validated_child_block_number).toBe(0);
    expect(d.eth_syncing).toBe(false);
    expect(d.contract_addr).toEqual({
      plasma_framework: '0x1111111111111111111111111111111111111111',
      eth_vault: '0x2222222222222222222222222222222222222222',
      erc20_vault: '0x3333333333333333333333333333333333333333',
      payment_exit_game: '0x4444444444444444444444444444444444444444',
    });
    expect(d.byzantine_events).toEqual([
      {
        event: 'invalid_block',
        details: {
          name: 'invalid_block',
          blknum: 1000,
          hash: `0x${'cd'.repeat(32)}`,
          error_type: 'tx_execution',
        },
      },
    ]);
    expect(d.in_flight_exits).toEqual([]);
    expect(d.services_synced_heights).toEqual([
      { service: 'root_chain_height', height: 250 },
      { service: 'block_getter', height: 250 },
      { service: 'depositor', height: 248 },
    ]);
    expect((d.vigil_status as { kind: string }).kind).toBe('invalid');
  });

  it('status.get is unavailable while booting or unhealthy; alarm.get lists why', async () => {
    const { t, url } = await serve();
    const booting = await call(url, 'status.get');
    expect(booting.success).toBe(false);
    expect(booting.data.code).toBe('operation:service_unavailable');
    t.follower.next = () => {
      throw new Error('ECONNREFUSED');
    };
    await t.watcher.round();
    expect((await call(url, 'status.get')).data.code).toBe('operation:service_unavailable');
    const alarms = await call(url, 'alarm.get', 'GET');
    expect(alarms.success).toBe(true);
    expect(alarms.data).toEqual([
      { ethereum_connection_error: { node: 'vigil', reporter: 'Vigil.Watcher' } },
    ]);
  });

  it('configuration.get gives the margins, semver and network name', async () => {
    const { url } = await serve();
    const body = await call(url, 'configuration.get', 'GET');
    expect(body.data).toEqual({
      exit_processor_sla_margin: 10,
      deposit_finality_margin: 2,
      contract_semver: '1.0.5+vigil',
      network: 'LOCALCHAIN',
    });
  });

  it('answers unknown methods and wrong verbs with operation:not_found', async () => {
    const { url } = await serve();
    expect((await call(url, 'transaction.submit')).data.code).toBe('operation:not_found');
    expect((await call(url, 'alarm.get', 'POST')).data.code).toBe('operation:not_found');
  });

  it('refuses to listen beyond this machine', async () => {
    t = testWatcher();
    await expect(startWatcherApi(t.watcher, 0, '0.0.0.0')).rejects.toThrow('127.0.0.1');
  });
});
