// The watcher's store: what the rest of src/main imports. Synchronous SQLite (better-sqlite3), one
// file per deployment, every follower's writes atomic with its synced height. See store.ts.
export { openDatabase, migrate, schemaVersion, type Db, type OpenOptions } from './database';
export { StoreError, isStoreError, type StoreErrorCode } from './errors';
export {
  accountDeposits,
  accountTransactions,
  inputsSpentBy,
  type SpentInput,
} from './account-history';
export { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';
export {
  applyBlockWith,
  inlineBlockWriter,
  workerBlockWriter,
  type BlockWrite,
  type BlockWriter,
} from './block-writer';
export {
  WatcherStore,
  type BlockToApply,
  type BlockTransaction,
  type ByzantineEvent,
  type DeploymentIdentity,
  type DepositInput,
  type EthCheckpoint,
  type ExitSpendInput,
  type Heights,
  type InclusionProof,
  type RollbackSummary,
  type RootChainEvent,
  type RootChainEventInput,
  type Spend,
  type StoredBlock,
  type StoredDeposit,
  type StoredOutput,
  type StoredTransaction,
} from './store';
