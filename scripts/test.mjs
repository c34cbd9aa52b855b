#!/usr/bin/env node
// `npm test`: type-check, lint, build, unit, chain (anvil) and browser tests, one after another.
// Every suite runs even when an earlier one fails, so one run shows everything that is wrong.
// Ends with one line `N passed, N failed, N skipped` totalled over all suites (also written to
// test-results/summary.txt for .ci/run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RESULTS = 'test-results';
mkdirSync(RESULTS, { recursive: true });
const bin = (name) => join('node_modules', '.bin', name);

/** Runs a command with inherited output; returns true when it exits 0. */
function run(label, command, args, env = {}) {
  console.log(`\n━━ ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(
    `━━ ${label}: ${result.status === 0 ? 'ok' : `exit ${result.status ?? result.signal}`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return result.status === 0;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

const suites = [];
function check(name, ok) {
  suites.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
}

function vitestSuite(name, args) {
  const out = join(RESULTS, `${name}.json`);
  rmSync(out, { force: true });
  const ok = run(name, bin('vitest'), [
    'run',
    ...args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  const report = readJson(out);
  if (!report) return suites.push({ name, passed: 0, failed: 1, skipped: 0, note: 'no report' });
  const failed = report.numFailedTests + (ok || report.numFailedTests > 0 ? 0 : 1);
  suites.push({
    name,
    passed: report.numPassedTests,
    failed,
    skipped: report.numPendingTests + report.numTodoTests,
  });
}

function playwrightSuite(name) {
  const out = join(RESULTS, `${name}.json`);
  rmSync(out, { force: true });
  const ok = run(name, bin('playwright'), ['test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: out,
  });
  const report = readJson(out);
  if (!report) return suites.push({ name, passed: 0, failed: 1, skipped: 0, note: 'no report' });
  const s = report.stats;
  const failed = s.unexpected + (ok || s.unexpected > 0 ? 0 : 1);
  suites.push({ name, passed: s.expected + s.flaky, failed, skipped: s.skipped });
  for (const skip of collectSkips(report.suites ?? [])) console.log(`skipped: ${skip}`);
}

function collectSkips(list, acc = []) {
  for (const suite of list) {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === 'skipped') {
          const reason =
            (t.annotations ?? []).find((a) => a.type === 'skip')?.description ?? 'no reason given';
          acc.push(`${spec.title} — ${reason}`);
        }
      }
    }
    collectSkips(suite.suites ?? [], acc);
  }
  return acc;
}

check('typecheck', run('typecheck', 'npm', ['run', '--silent', 'typecheck']));
check('lint', run('lint', 'npm', ['run', '--silent', 'lint']));
const built = run('build', 'npm', ['run', '--silent', 'build']);
check('build', built);
vitestSuite('unit', []);
if (existsSync('vitest.chain.config.ts'))
  vitestSuite('chain', ['--config', 'vitest.chain.config.ts']);
if (built) playwrightSuite('e2e');
else
  suites.push({ name: 'e2e', passed: 0, failed: 1, skipped: 0, note: 'not run: the build failed' });

const total = suites.reduce(
  (t, s) => ({
    passed: t.passed + s.passed,
    failed: t.failed + s.failed,
    skipped: t.skipped + s.skipped,
  }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log('\nsuite       passed  failed  skipped');
for (const s of suites)
  console.log(
    `${s.name.padEnd(11)} ${String(s.passed).padStart(6)}  ${String(s.failed).padStart(6)}  ${String(s.skipped).padStart(7)}${s.note ? `  (${s.note})` : ''}`,
  );
const line = `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`;
writeFileSync(join(RESULTS, 'summary.txt'), line + '\n');
console.log(line);
process.exit(total.failed > 0 ? 1 : 0);
