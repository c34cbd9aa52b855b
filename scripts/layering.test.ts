// The layering rules of STYLE.md are lint errors; this proves each rule bites where it should and
// stays quiet where an import is allowed.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => /no-restricted-(imports|globals)/.test(m.ruleId ?? ''))
    .map((m) => m.message);
}

describe('layering lint rules', () => {
  it.each([
    ['src/plasma/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    [
      'src/plasma/x.ts',
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    ],
    ['src/plasma/x.ts', "import { createHash } from 'crypto';\nexport const h = createHash;\n"],
    ['src/plasma/x.ts', 'export const w = window.location;\n'],
    ['src/plasma/x.ts', 'export const b = Buffer.from([]);\n'],
    [
      'src/renderer/x.ts',
      "import { dispatch } from '../main/ipc/router';\nexport const d = dispatch;\n",
    ],
    [
      'src/renderer/x.ts',
      "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n",
    ],
    ['src/main/watcher/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['devnet/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
  ])('refuses the forbidden import in %s', async (file, code) => {
    expect(await restrictedImports(code, file)).not.toEqual([]);
  });

  it.each([
    ['src/main/index.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    [
      'src/main/shell/window.ts',
      "import { BrowserWindow } from 'electron';\nexport const b = BrowserWindow;\n",
    ],
    [
      'src/preload/index.ts',
      "import { contextBridge } from 'electron';\nexport const c = contextBridge;\n",
    ],
    [
      'src/plasma/x.ts',
      "import { keccak_256 } from '@noble/hashes/sha3';\nexport const k = keccak_256;\n",
    ],
    [
      'src/renderer/x.ts',
      "import { REQUEST_CHANNEL } from '../shared/ipc';\nexport const c = REQUEST_CHANNEL;\n",
    ],
    [
      'src/main/watcher/x.ts',
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    ],
  ])('allows the import in %s', async (file, code) => {
    expect(await restrictedImports(code, file)).toEqual([]);
  });
});
