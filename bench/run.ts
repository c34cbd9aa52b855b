// `npm run bench`: runs every benchmark module in bench/ one after another (plasma first, then the
// rest by name), each through its exported main(); files starting with _ or . are scratch, not benchmarks. Modules appear here as soon as they exist, so
// gas.ts and later ones need no edit to this file. Exits non-zero if any benchmark failed.
// Node is re-executed first with the watcher's V8 heap flags (src/main/headless/v8-flags.ts), so the
// benchmarks measure the code as the watcher's process runs it.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { reexecWithV8Flags } from '../src/main/headless/v8-flags';

const FIRST = ['plasma.ts', 'gas.ts'];

function benchModules(dir: string): string[] {
  const files = readdirSync(dir).filter(
    (f) =>
      f.endsWith('.ts') &&
      f !== 'run.ts' &&
      !f.startsWith('_') &&
      !f.startsWith('.') &&
      !f.endsWith('.test.ts') &&
      !f.endsWith('.d.ts'),
  );
  const rank = (f: string): number => (FIRST.includes(f) ? FIRST.indexOf(f) : FIRST.length);
  return files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export async function main(): Promise<void> {
  const dir = dirname(fileURLToPath(import.meta.url));
  const failed: string[] = [];
  for (const file of benchModules(dir)) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { main?: () => unknown };
    if (typeof mod.main !== 'function') continue; // a helper module, not a benchmark
    console.log(`\n=== bench/${file} ===`);
    const started = performance.now();
    try {
      await mod.main();
      console.log(
        `=== bench/${file} done in ${((performance.now() - started) / 1000).toFixed(1)} s ===`,
      );
    } catch (err) {
      failed.push(file);
      console.error(`=== bench/${file} FAILED ===`);
      console.error(err);
    }
  }
  if (failed.length > 0) {
    console.error(`\n${failed.length} benchmark(s) failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

if (!reexecWithV8Flags()) await main();
