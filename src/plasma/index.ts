// The protocol library's public surface: every module of src/plasma, re-exported. Pure TypeScript
// (no electron, node:* or DOM), shared by the Electron main process, the renderer, the devnet and tests.
export * from './types';
export * from './errors';
export * from './hex';
export * from './rlp';
export * from './position';
export * from './tx';
export * from './metadata';
export * from './eip712';
export * from './recover';
export * from './merkle';
export * from './ids';
export * from './ledger';
export * from './prepare';
export * from './contracts';
export * from './build';
