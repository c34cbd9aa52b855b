#!/usr/bin/env node
// `npm start` (and `npm run dev` with --dev): make sure the Electron runtime is present, fetching
// it once if needed, then build and launch the app. Where the runtime cannot be had, say so in
// one sentence instead of a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dev = process.argv.includes('--dev');
const electronDir = resolve('node_modules/electron');

function electronBinary() {
  try {
    const bin = join(
      electronDir,
      'dist',
      readFileSync(join(electronDir, 'path.txt'), 'utf8').trim(),
    );
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function fail(sentence) {
  console.error(sentence);
  process.exit(1);
}

if (!existsSync(electronDir))
  fail('Vigil cannot start: its dependencies are not installed; run `npm install` first.');

let binary = electronBinary();
if (!binary) {
  console.log('Fetching the Electron runtime (once)…');
  const fetched = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  binary = fetched.status === 0 ? electronBinary() : null;
  if (!binary) {
    fail(
      "Vigil cannot start here: the Electron runtime is not installed and could not be downloaded (this machine cannot reach Electron's release host); `npm test` still exercises the app in Chromium.",
    );
  }
}

const electronVite = join('node_modules', '.bin', 'electron-vite');
if (dev) {
  const child = spawn(electronVite, ['dev'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const build = spawnSync(electronVite, ['build'], { stdio: 'inherit' });
  if (build.status !== 0) fail('Vigil cannot start: the build failed (see above).');
  // The watcher runs in Electron's main process, which takes V8 flags only from its command line;
  // the value is WATCHER_V8_FLAGS of src/main/headless/v8-flags.ts (scripts/start.test.ts checks).
  const child = spawn(binary, ['.', '--js-flags=--max-semi-space-size=4'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}
