import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../store/testing/tmp';
import { FILE_MODE, WalletFileError, jsonProblem, readWalletFile, writeFileAtomic } from './files';

const tmp = tempDir('vigil-wallet-files-');
afterAll(() => tmp.remove());

const CHILD = resolve(import.meta.dirname, 'testing/write-child.ts');

class Crash extends Error {}

describe('writeFileAtomic', () => {
  it('writes mode 0600 and keeps the previous version as .bak', () => {
    const path = tmp.file('a.json');
    writeFileAtomic(path, '{"v":1}', { backup: true });
    writeFileAtomic(path, '{"v":2}', { backup: true });
    expect(readFileSync(path, 'utf8')).toBe('{"v":2}');
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('{"v":1}');
    expect(statSync(path).mode & 0o777).toBe(FILE_MODE);
    expect(statSync(`${path}.bak`).mode & 0o777).toBe(FILE_MODE);
  });

  it.each([
    ['temp-written', '{"v":1}'],
    ['backup-written', '{"v":1}'],
    ['renamed', '{"v":2}'],
  ] as const)('a crash after %s leaves a whole version and no temp file', (step, expected) => {
    const dir = tempDir('vigil-wallet-step-');
    try {
      const path = join(dir.dir, 'vault.json');
      writeFileAtomic(path, '{"v":1}', { backup: true });
      expect(() =>
        writeFileAtomic(path, '{"v":2}', {
          backup: true,
          onStep: (s) => {
            if (s === step) throw new Crash(step);
          },
        }),
      ).toThrow(WalletFileError);
      expect(readFileSync(path, 'utf8')).toBe(expected);
      expect(readdirSync(dir.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it('survives SIGKILL at any moment of a stream of writes: the file is always a whole version', async () => {
    const path = tmp.file('killed.json');
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path], {
        cwd: resolve(import.meta.dirname, '../../..'),
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let written = 0;
      const target = 3 + round * 2;
      await new Promise<void>((done) => {
        child.stdout.on('data', (chunk: Buffer) => {
          written += (chunk.toString().match(/wrote/g) ?? []).length;
          if (written >= target) done();
        });
        child.once('exit', () => done());
      });
      // Kill while the next write is in flight.
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as { version: number; pad: string };
      expect(parsed.version).toBeGreaterThanOrEqual(target);
      expect(parsed.pad).toBe(String(parsed.version % 10).repeat(400_000));
      expect(statSync(path).mode & 0o777).toBe(FILE_MODE);
      if (existsSync(`${path}.bak`))
        expect(jsonProblem(readFileSync(`${path}.bak`, 'utf8'))).toBeUndefined();
    }
  }, 60_000);
});

describe('readWalletFile', () => {
  it('answers null for a missing file and reports a damaged one naming the backup', () => {
    const path = tmp.file('r.json');
    expect(readWalletFile(path, 100, jsonProblem)).toBeNull();
    writeFileAtomic(path, '{}', { backup: true });
    writeFileAtomic(path, '{"a":1}', { backup: true });
    writeFileSync(path, '{"a":');
    const error = (() => {
      try {
        readWalletFile(path, 100, jsonProblem);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(WalletFileError);
    expect((error as WalletFileError).code).toBe('file_corrupt');
    expect((error as WalletFileError).message).toContain(`${path}.bak`);
    writeFileSync(path, 'x'.repeat(101));
    expect(() => readWalletFile(path, 100, jsonProblem)).toThrow(/101 bytes/);
  });
});
