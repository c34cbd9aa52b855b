import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsFlags } from '../src/main/headless/v8-flags';

describe('npm start', () => {
  it("launches Electron with the watcher's V8 flags on its own command line", () => {
    // Electron's main process (where the watcher runs) takes V8 flags only from its command line.
    const script = readFileSync(join(__dirname, 'start.mjs'), 'utf8');
    const launched = /spawn\(binary, \['\.', '--js-flags=([^']+)'\]/.exec(script);
    expect(launched?.[1]).toBe(jsFlags());
  });
});
