// ABI conformance with ../shared/abi (the v1.0.5 interface clients use): every implemented function,
// event and constructor must match in selector, parameter and return types, mutability and indexed
// flags. Entries not implemented yet are listed, not failed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Interface, type InterfaceAbi, type ParamType } from 'ethers';
import { describe, expect, it } from 'vitest';
import { loadArtifact } from '../build';

const sharedAbiDir = join(__dirname, '..', '..', '..', 'shared', 'abi');
const CONTRACTS = ['PlasmaFramework', 'EthVault', 'Erc20Vault', 'PaymentExitGame', 'PriorityQueue'];

const typeOf = (p: ParamType): string => p.format('sighash');
const types = (ps: readonly ParamType[]): string => ps.map(typeOf).join(',');
const indexed = (ps: readonly ParamType[]): string =>
  ps.map((p) => (p.indexed ? 'i' : '-')).join('');

interface Comparison {
  missing: string[];
  mismatches: string[];
  extra: string[];
}

function compare(name: string): Comparison {
  const expected = new Interface(
    JSON.parse(readFileSync(join(sharedAbiDir, `${name}.json`), 'utf8')) as InterfaceAbi,
  );
  const ours = new Interface(loadArtifact(name).abi as InterfaceAbi);
  const result: Comparison = { missing: [], mismatches: [], extra: [] };

  expected.forEachFunction((f) => {
    const sig = f.format('sighash');
    const mine = ours.getFunction(sig);
    if (!mine) {
      result.missing.push(`function ${sig}`);
      return;
    }
    if (mine.selector !== f.selector)
      result.mismatches.push(`${sig}: selector ${mine.selector} ≠ ${f.selector}`);
    if (types(mine.outputs) !== types(f.outputs)) {
      result.mismatches.push(`${sig}: returns (${types(mine.outputs)}) ≠ (${types(f.outputs)})`);
    }
    if (mine.stateMutability !== f.stateMutability) {
      result.mismatches.push(`${sig}: ${mine.stateMutability} ≠ ${f.stateMutability}`);
    }
    if (mine.payable !== f.payable)
      result.mismatches.push(`${sig}: payable ${mine.payable} ≠ ${f.payable}`);
  });
  ours.forEachFunction((f) => {
    if (!expected.getFunction(f.format('sighash')))
      result.extra.push(`function ${f.format('sighash')}`);
  });

  expected.forEachEvent((e) => {
    const sig = e.format('sighash');
    const mine = ours.getEvent(sig);
    if (!mine) {
      result.missing.push(`event ${sig}`);
      return;
    }
    if (mine.topicHash !== e.topicHash)
      result.mismatches.push(`${sig}: topic ${mine.topicHash} ≠ ${e.topicHash}`);
    if (indexed(mine.inputs) !== indexed(e.inputs)) {
      result.mismatches.push(`${sig}: indexed ${indexed(mine.inputs)} ≠ ${indexed(e.inputs)}`);
    }
    if (mine.anonymous !== e.anonymous) result.mismatches.push(`${sig}: anonymous differs`);
  });
  ours.forEachEvent((e) => {
    if (!expected.getEvent(e.format('sighash'))) result.extra.push(`event ${e.format('sighash')}`);
  });

  if (types(ours.deploy.inputs) !== types(expected.deploy.inputs)) {
    result.mismatches.push(
      `constructor (${types(ours.deploy.inputs)}) ≠ (${types(expected.deploy.inputs)})`,
    );
  }
  if (ours.deploy.payable !== expected.deploy.payable)
    result.mismatches.push('constructor payability differs');
  return result;
}

describe('ABI conformance with shared/abi (v1.0.5)', () => {
  for (const name of CONTRACTS) {
    it(`${name}: every implemented entry matches`, () => {
      const { missing, mismatches, extra } = compare(name);
      if (missing.length > 0) {
        console.log(`${name}: not implemented yet (${missing.length}):\n  ${missing.join('\n  ')}`);
      }
      if (extra.length > 0) console.log(`${name}: not in the v1.0.5 ABI: ${extra.join(', ')}`);
      expect(mismatches).toEqual([]);
      // Nothing but the v1.0.5 interface is exposed.
      expect(extra).toEqual([]);
    });
  }

  it('only in-flight exit entries of PaymentExitGame are still missing', () => {
    const missing = CONTRACTS.flatMap((n) => compare(n).missing.map((m) => `${n}.${m}`));
    const inFlight = /inflight|piggyback|noncanonical/i;
    expect(missing.filter((m) => !inFlight.test(m))).toEqual([]);
  });
});
