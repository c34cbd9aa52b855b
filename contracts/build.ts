// Compiles the Solidity sources under contracts/src and contracts/test with solc-js into
// contracts/out/<Contract>.json ({ abi, bytecode, deployedBytecode }). The build is cached: a hash of
// the sources, the compiler version and the settings is stored next to the artifacts, and an
// unchanged tree is not recompiled. Tests call ensureContractsBuilt() so they never run stale code.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import solc from 'solc';

const contractsDir = dirname(fileURLToPath(import.meta.url));
export const outDir = join(contractsDir, 'out');
const hashFile = join(outDir, '.build-hash');
const sourceDirs = ['src', 'test'];

/** Compiler settings; part of the cache key. viaIR stays off: solc-js is slow with it. */
export const compilerSettings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  viaIR: false,
  outputSelection: {
    '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] },
  },
} as const;

export interface Artifact {
  contractName: string;
  sourceName: string;
  abi: unknown[];
  bytecode: string;
  deployedBytecode: string;
}

function listSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.sol')) files.push(full);
    }
  };
  for (const d of sourceDirs) {
    const full = join(contractsDir, d);
    if (existsSync(full)) walk(full);
  }
  return files.sort();
}

function readSources(): Record<string, { content: string }> {
  const sources: Record<string, { content: string }> = {};
  for (const file of listSources()) {
    // Source names are paths relative to contracts/, so relative imports resolve without a callback.
    sources[relative(contractsDir, file).split('\\').join('/')] = {
      content: readFileSync(file, 'utf8'),
    };
  }
  return sources;
}

function buildHash(sources: Record<string, { content: string }>): string {
  const h = createHash('sha256');
  h.update(solc.version());
  h.update(JSON.stringify(compilerSettings));
  for (const [name, { content }] of Object.entries(sources)) {
    h.update(name);
    h.update('\0');
    h.update(content);
    h.update('\0');
  }
  return h.digest('hex');
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<
    string,
    Record<
      string,
      {
        abi: unknown[];
        evm: { bytecode: { object: string }; deployedBytecode: { object: string } };
      }
    >
  >;
}

/** True when contracts/out matches the current sources and settings. */
export function isBuildFresh(): boolean {
  if (!existsSync(hashFile)) return false;
  return readFileSync(hashFile, 'utf8').trim() === buildHash(readSources());
}

export interface BuildResult {
  compiled: boolean;
  seconds: number;
  contracts: string[];
}

/** Compiles if the sources or settings changed; otherwise returns at once. */
export function ensureContractsBuilt(
  options: { force?: boolean; quiet?: boolean } = {},
): BuildResult {
  const sources = readSources();
  const hash = buildHash(sources);
  if (!options.force && existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === hash) {
    return { compiled: false, seconds: 0, contracts: [] };
  }

  const started = performance.now();
  const input = { language: 'Solidity', sources, settings: compilerSettings };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  }
  if (!options.quiet) {
    for (const w of output.errors ?? []) console.warn(w.formattedMessage);
  }

  mkdirSync(outDir, { recursive: true });
  const names: string[] = [];
  for (const [sourceName, contracts] of Object.entries(output.contracts)) {
    for (const [contractName, c] of Object.entries(contracts)) {
      if (names.includes(contractName)) {
        throw new Error(`Two contracts are named ${contractName}; artifact names must be unique`);
      }
      names.push(contractName);
      const artifact: Artifact = {
        contractName,
        sourceName,
        abi: c.abi,
        bytecode: '0x' + c.evm.bytecode.object,
        deployedBytecode: '0x' + c.evm.deployedBytecode.object,
      };
      writeAtomic(join(outDir, `${contractName}.json`), JSON.stringify(artifact, null, 2) + '\n');
    }
  }
  writeAtomic(hashFile, hash + '\n');
  const seconds = (performance.now() - started) / 1000;
  return { compiled: true, seconds, contracts: names.sort() };
}

function writeAtomic(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** Reads a compiled artifact; builds first if the tree is stale. */
export function loadArtifact(contractName: string): Artifact {
  ensureContractsBuilt({ quiet: true });
  const path = join(outDir, `${contractName}.json`);
  if (!existsSync(path)) throw new Error(`No artifact for contract ${contractName}`);
  return JSON.parse(readFileSync(path, 'utf8')) as Artifact;
}

function main(): void {
  const force = process.argv.includes('--force');
  const result = ensureContractsBuilt({ force });
  if (result.compiled) {
    console.log(
      `Compiled ${result.contracts.length} contracts with solc ${solc.version()} in ${result.seconds.toFixed(1)} s → ${relative(process.cwd(), outDir)}`,
    );
  } else {
    console.log('Contracts are up to date.');
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
export { pathToFileURL };
