import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { jsFlags, missingV8Flags, WATCHER_V8_FLAGS, withoutWatcherV8Flags } from './v8-flags';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');

describe('the watcher V8 flags', () => {
  it('size the young generation and leave the old space to V8 (a full block needs 300–400 MB)', () => {
    expect(WATCHER_V8_FLAGS.some((f) => f.startsWith('--max-semi-space-size='))).toBe(true);
    expect(WATCHER_V8_FLAGS.some((f) => f.startsWith('--max-old-space-size'))).toBe(false);
    expect(jsFlags()).toBe(WATCHER_V8_FLAGS.join(' '));
  });

  it('finds which flags a process lacks, by name, whatever the value or spelling', () => {
    const flags = ['--max-semi-space-size=8', '--expose-gc'];
    expect(missingV8Flags([], flags)).toEqual(flags);
    expect(missingV8Flags(['--max_semi_space_size=4', '--require', 'x'], flags)).toEqual([
      '--expose-gc',
    ]);
    expect(missingV8Flags(['--expose-gc', '--max-semi-space-size=16'], flags)).toEqual([]);
  });

  it('takes its own flags out of an argument list, whatever their value, and nothing else', () => {
    const [name] = WATCHER_V8_FLAGS[0]!.split('=');
    expect(
      withoutWatcherV8Flags([
        '--require',
        'x',
        `${name}=99`,
        `--${name!.slice(2).replaceAll('-', '_')}=1`,
      ]),
    ).toEqual(['--require', 'x']);
    expect(withoutWatcherV8Flags(['--expose-gc'])).toEqual(['--expose-gc']);
  });

  describe('re-executing a launcher', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-v8-flags-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const script = join(dir, 'launcher.ts');
    writeFileSync(
      script,
      `import { reexecWithV8Flags } from ${JSON.stringify(pathToFileURL(join(here, 'v8-flags.ts')).href)};\n` +
        `if (!reexecWithV8Flags()) {\n` +
        `  console.log(JSON.stringify({ execArgv: process.execArgv, args: process.argv.slice(2), again: process.env.VIGIL_V8_FLAGS_APPLIED === '1' }));\n` +
        `  process.exitCode = 3;\n` +
        `}\n`,
    );
    const run = (nodeFlags: string[]) => {
      const r = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', script, 'a', '--b'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, VIGIL_V8_FLAGS_APPLIED: '' },
        timeout: 60_000,
      });
      const lines = r.stdout.trim().split('\n');
      return {
        status: r.status,
        runs: lines.length,
        last: JSON.parse(lines.at(-1)!) as { execArgv: string[]; args: string[]; again: boolean },
        stderr: r.stderr,
      };
    };

    it('runs the script again with the flags and arguments, once, and exits with its code', () => {
      const r = run([]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(3);
      expect(r.runs).toBe(1);
      expect(r.last.again).toBe(true);
      expect(r.last.args).toEqual(['a', '--b']);
      for (const flag of WATCHER_V8_FLAGS) expect(r.last.execArgv).toContain(flag);
    });

    it('runs the script in place when the flags were given', () => {
      const r = run([...WATCHER_V8_FLAGS]);
      expect(r.status).toBe(3);
      expect(r.last.again).toBe(false);
      expect(r.last.execArgv.filter((f) => WATCHER_V8_FLAGS.includes(f))).toEqual([
        ...WATCHER_V8_FLAGS,
      ]);
    });
  });
});
