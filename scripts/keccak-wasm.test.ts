import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { MODULE_PATH, keccakWasm, moduleSource } from './keccak-wasm';

it('the committed WebAssembly Keccak is what scripts/keccak-wasm.ts assembles', async () => {
  expect(readFileSync(MODULE_PATH, 'utf8')).toBe(moduleSource(await keccakWasm()));
});
