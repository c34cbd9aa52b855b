import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECTIONS, computeCase, runConformance, type VectorCase } from './conformance-lib';

const VECTORS = new URL('../../shared/vectors/omgjs-v1-public.json', import.meta.url);
const file = JSON.parse(readFileSync(VECTORS, 'utf8')) as Record<string, unknown>;

// Where our library deliberately differs from omg-js on a case not marked as a quirk:
// position.ts refuses positions the v1 contracts cannot decode (txindex 99999 > 65535).
const REJECTED_ON_PURPOSE = new Set(['utxoPos-fixed-3']);

/** omg-js copies the caller's address spelling into typed data; we hand wallets lowercase. */
function lowercaseTypedData(expected: Record<string, unknown>): Record<string, unknown> {
  const td = structuredClone(expected.typedData) as {
    message: Record<string, Record<string, unknown>>;
  };
  for (const [k, v] of Object.entries(td.message)) {
    if (k.startsWith('output')) {
      v.outputGuard = String(v.outputGuard).toLowerCase();
      v.currency = String(v.currency).toLowerCase();
    }
  }
  return { ...expected, typedData: td };
}

describe('conformance on the public vectors', () => {
  const result = runConformance(file) as Record<string, VectorCase[]>;

  it('keeps everything but `expected` as it was', () => {
    expect(Object.keys(result)).toEqual(Object.keys(file));
    for (const key of Object.keys(file)) {
      if (!(SECTIONS as readonly string[]).includes(key)) expect(result[key]).toEqual(file[key]);
    }
    for (const section of SECTIONS) {
      const cases = file[section] as VectorCase[];
      expect(cases.length).toBeGreaterThan(0);
      result[section]!.forEach((c, i) => {
        const { expected: _a, ...rest } = c;
        const { expected: _b, ...orig } = cases[i]!;
        expect(rest).toEqual(orig);
      });
    }
  });

  for (const section of SECTIONS) {
    describe(section, () => {
      (file[section] as VectorCase[]).forEach((c, i) => {
        const ours = result[section]![i]!.expected as Record<string, unknown>;
        const expected = c.expected as Record<string, unknown>;
        if (c.quirk !== undefined || REJECTED_ON_PURPOSE.has(c.id)) {
          it(`${c.id} is rejected with a clear error`, () => {
            expect(Object.keys(ours)).toEqual(['error']);
            expect(ours.error).toMatch(/^[a-z_]+: [A-Z"].+/);
          });
        } else if ('error' in expected) {
          it(`${c.id} is refused as omg-js refuses it`, () => {
            expect(Object.keys(ours)).toEqual(['error']);
            expect(ours.error).toMatch(/^[a-z_]+: .+/);
          });
        } else {
          it(`${c.id} is bit-exact`, () => {
            if (section === 'payment') {
              expect(ours).toEqual(lowercaseTypedData(expected));
            } else {
              expect(ours).toEqual(expected);
            }
          });
        }
      });
    });
  }

  it('reports errors as "<code>: <sentence>" and unknown sections raise', () => {
    expect(computeCase('mergeUtxos', { utxos: [] }).error).toMatch(
      /^invalid_argument: Must merge at least 2/,
    );
    expect(computeCase('utxoPos', { blknum: 'x', txindex: 0, oindex: 0 }).error).toMatch(
      /^invalid_input: blknum/,
    );
    expect(() => computeCase('nope', {})).toThrow(/Unknown section/);
    expect(() => runConformance([])).toThrow(/JSON object/);
  });
});

describe('the conformance CLI', () => {
  const run = (args: string[]) =>
    spawnSync('npx', ['tsx', 'scripts/conformance.ts', ...args], {
      encoding: 'utf8',
      cwd: new URL('..', import.meta.url).pathname,
    });

  it('prints the recomputed file as JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-conformance-'));
    const small = join(dir, 'small.json');
    const subset = {
      format: file.format,
      merkle: (file.merkle as unknown[]).slice(0, 1),
      extra: [1, 2],
    };
    writeFileSync(small, JSON.stringify(subset));
    const out = execFileSync('npx', ['tsx', 'scripts/conformance.ts', small], {
      encoding: 'utf8',
      cwd: new URL('..', import.meta.url).pathname,
    });
    expect(JSON.parse(out)).toEqual(subset);
  });

  it('fails with one sentence and exit code 1 on a missing or broken file', () => {
    const missing = run(['/nonexistent/cases.json']);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(
      missing.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('npm warn')),
    ).toEqual(['Cannot read /nonexistent/cases.json: no such file.']);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-conformance-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"merkle": [');
    const bad = run([broken]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/is not valid JSON/);
    const none = run([]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^Usage: npm run conformance/m);
  });
});
