#!/usr/bin/env node
// Runs electronegativity over the Electron sources and fails on any HIGH or MEDIUM finding that
// electronegativity.config.json does not justify. The tool always exits 0 and reaches for the
// network (translations, Electron release lists); we run it in-process with its HTTP client
// replaced by one that fails at once, so it works offline and sends nothing.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const ELECTRON_VERSION = JSON.parse(
  readFileSync('node_modules/electron/package.json', 'utf8'),
).version;
const CONFIG = 'electronegativity.config.json';
const inputFlag = process.argv.indexOf('--input');
const INPUT = resolve(inputFlag > 0 ? process.argv[inputFlag + 1] : 'src');

const require = createRequire(resolve('node_modules/@doyensec/electronegativity/dist/runner.js'));
const gotPath = require.resolve('got');
const offline = () =>
  Promise.reject(new Error('offline: electronegativity may not use the network here'));
require.cache[gotPath] = {
  id: gotPath,
  filename: gotPath,
  loaded: true,
  exports: Object.assign(offline, { default: offline, get: offline }),
};

const run = require('@doyensec/electronegativity/dist/runner.js');
const config = JSON.parse(readFileSync(CONFIG, 'utf8'));
const justified = new Map(config.justified.map((j) => [`${j.check}|${j.file}`, j.reason]));

const quiet = { log: console.log, info: console.info, warn: console.warn };
console.log = console.info = console.warn = () => {};
let result;
try {
  result = await run(
    {
      input: INPUT,
      customScan: [],
      excludeFromScan: config.excludeChecks.map((c) => c.toLowerCase()),
      electronVersionOverride: ELECTRON_VERSION,
      parserPlugins: [],
      isRelative: false,
      isVerbose: false,
    },
    false,
  );
} finally {
  Object.assign(console, quiet);
}
if (result.atomicChecks < 20)
  throw new Error(`electronegativity loaded only ${result.atomicChecks} checks`);
for (const e of result.errors.filter((e) => !e.tolerable))
  console.log(`could not parse ${relative('.', e.file)}: ${e.message}`);

const rows = result.issues.map((i) => ({
  check: i.id,
  severity: i.severity.name,
  file: relative('.', i.file),
  location: `${i.location.line}:${i.location.column}`,
  description: i.description,
}));

let failed = 0;
for (const r of rows) {
  const serious = r.severity === 'HIGH' || r.severity === 'MEDIUM';
  const reason = justified.get(`${r.check}|${r.file}`);
  const tag = !serious ? 'note' : reason ? 'justified' : 'FAIL';
  if (tag === 'FAIL') failed++;
  console.log(
    `${tag.padEnd(9)} ${r.severity.padEnd(6)} ${r.check} ${r.file}:${r.location} — ${reason ?? r.description}`,
  );
}
console.log(
  `electronegativity (Electron ${ELECTRON_VERSION}, ${result.atomicChecks + result.globalChecks} checks): ${rows.length} findings, ${failed} unjustified HIGH/MEDIUM`,
);
process.exit(failed > 0 ? 1 : 0);
