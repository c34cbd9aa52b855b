import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function gate(input?: string): { code: number; output: string } {
  try {
    const output = execFileSync(
      process.execPath,
      ['scripts/electronegativity.mjs', ...(input ? ['--input', input] : [])],
      { encoding: 'utf8' },
    );
    return { code: 0, output };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { code: err.status, output: err.stdout };
  }
}

describe('the electronegativity gate', () => {
  it('passes our Electron sources, with every MEDIUM finding justified', () => {
    const { code, output } = gate();
    expect(output).toMatch(/0 unjustified HIGH\/MEDIUM/);
    expect(code).toBe(0);
  }, 60_000);

  it('fails an insecure window configuration', () => {
    const { code, output } = gate('scripts/fixtures/insecure-shell');
    expect(code).toBe(1);
    expect(output).toMatch(/FAIL\s+HIGH\s+CONTEXT_ISOLATION_JS_CHECK/);
    expect(output).toMatch(/FAIL\s+MEDIUM\s+SANDBOX_JS_CHECK/);
  }, 60_000);
});
