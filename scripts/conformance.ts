// `npm run conformance -- <cases.json>`: prints the vectors file with every case's `expected`
// replaced by what Vigil's protocol library computes (see conformance-lib.ts). Reading or parsing
// problems give one sentence on stderr and exit code 1.
import { readFileSync } from 'node:fs';
import { runConformance } from './conformance-lib';

function fail(sentence: string): never {
  process.stderr.write(sentence + '\n');
  process.exit(1);
}

const path = process.argv[2];
if (path === undefined || path === '') {
  fail(
    'Usage: npm run conformance -- <cases.json> (a file laid out like shared/vectors/omgjs-v1-public.json).',
  );
}

let text: string;
try {
  text = readFileSync(path, 'utf8');
} catch (e) {
  const code = (e as NodeJS.ErrnoException).code;
  fail(
    code === 'ENOENT'
      ? `Cannot read ${path}: no such file.`
      : `Cannot read ${path}: ${e instanceof Error ? e.message : String(e)}.`,
  );
}

let file: unknown;
try {
  file = JSON.parse(text);
} catch (e) {
  fail(`${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}.`);
}

let result: unknown;
try {
  result = runConformance(file);
} catch (e) {
  fail(`${path} cannot be checked: ${e instanceof Error ? e.message : String(e)}`);
}
process.stdout.write(JSON.stringify(result, null, 1) + '\n');
