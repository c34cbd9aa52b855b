// The Electron app's devnet launcher: the devnet as a child process under the project's Node and
// tsx, ready once it prints its banner, its profile read back, gone after stop().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childProcessDevnet } from './devnet-process';
import { walletProvider } from './ethereum';

const dir = mkdtempSync(join(tmpdir(), 'vigil-devnet-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('childProcessDevnet', () => {
  it('starts the devnet in a child process, answers its profile, and stops it', async () => {
    const lines: string[] = [];
    const launch = childProcessDevnet(resolve(import.meta.dirname, '../../..'), (m) =>
      lines.push(m),
    );
    const devnet = await launch(join(dir, 'devnet'));
    expect(devnet.profile.chainId).toBe(31337);
    expect(lines.some((l) => l.includes('Vigil devnet is up'))).toBe(true);
    const provider = walletProvider(devnet.profile.rpcUrl, devnet.profile.chainId);
    expect(await provider.getCode(devnet.profile.contracts.plasmaFramework)).not.toBe('0x');
    await devnet.stop();
    await expect(provider.getBlockNumber()).rejects.toThrow();
    provider.destroy();
  }, 240_000);
});
