// No orphaned anvil: `npm run devnet` (devnet/index.ts under tsx, as npm runs it) is stopped with
// SIGINT, SIGTERM and SIGKILL; every time, anvil and every process of that devnet must be gone soon
// after. SIGKILL is the hard case: tsx's launcher dies without forwarding anything.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './testing';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Alive and not a zombie (a zombie has exited; only its parent has not collected it yet). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Pids of live processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(text) && running(Number(entry))) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

let dataDir = '';
let child: ChildProcess | undefined;

afterEach(() => {
  // Whatever happened, leave nothing behind.
  for (const pid of processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function startDevnetProcess(): Promise<{ launcher: ChildProcess; anvilPid: number }> {
  dataDir = mkdtempSync(join(tmpdir(), 'vigil-orphan-'));
  // As `npm run` does: node_modules/.bin first on PATH, so tsx runs on the project's Node.
  const launcher = spawn(
    join(repo, 'node_modules', '.bin', 'tsx'),
    ['devnet/index.ts', '--data-dir', dataDir, '--fresh', '--block-interval', '200'],
    {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` },
    },
  );
  child = launcher;
  let out = '';
  launcher.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  launcher.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const anvilPid = await waitFor(
    'the devnet to print its anvil pid',
    () => {
      if (launcher.exitCode !== null) throw new Error(`the devnet exited early:\n${out}`);
      const m = /anvil pid\s+(\d+)/.exec(out);
      return m ? Number(m[1]) : undefined;
    },
    120_000,
  );
  expect(running(anvilPid)).toBe(true);
  expect(readFileSync(join(dataDir, 'anvil.pid'), 'utf8').trim()).toBe(String(anvilPid));
  return { launcher, anvilPid };
}

describe('npm run devnet leaves no process behind', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)(
    'after %s to the launcher',
    async (signal) => {
      const { launcher, anvilPid } = await startDevnetProcess();
      const devnetProcesses = processesMentioning(dataDir);
      // The launcher, the devnet itself, anvil's keeper and anvil.
      expect(devnetProcesses.length).toBeGreaterThanOrEqual(3);
      expect(devnetProcesses).toContain(anvilPid);

      launcher.kill(signal);
      await waitFor('anvil to stop', () => !running(anvilPid), 30_000);
      await waitFor(
        'every devnet process to stop',
        () => processesMentioning(dataDir).length === 0,
        30_000,
      );
      expect(running(anvilPid)).toBe(false);
    },
    180_000,
  );
});
