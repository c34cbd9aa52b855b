// The devnet's block cheats (devnet/operator/cheats.ts BLOCK_CHEATS), for specs that declare one test
// per kind. Test titles are needed while Playwright collects the file, and neither its loader nor a
// tsImport at that moment can load the cheats module (it imports the protocol library's ABI JSON),
// so a short tsx child reads the keys (well under a second).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BlockCheat } from '../../devnet/operator/cheats';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READ_KEYS =
  "const m = await import('./devnet/operator/cheats.ts');" +
  'process.stdout.write(JSON.stringify(Object.keys(m.BLOCK_CHEATS)));';

export function blockCheats(): BlockCheat[] {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', READ_KEYS],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  const keys: unknown = JSON.parse(out);
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string'))
    throw new Error(`devnet/operator/cheats.ts listed no block cheats: ${out.slice(0, 200)}`);
  return keys as BlockCheat[];
}
