// Native signature recovery for the watcher: the same SignatureRecoverer the library defines, backed
// by secp256k1's N-API binding on this thread or on a worker pool, falling back to the JS recoverer.
export {
  createNativeRecoverer,
  nativeRecoverer,
  type NativeRecovererOptions,
  type RecoveryItem,
} from './native-recoverer';
export {
  createRecoveryPool,
  RecoveryPoolError,
  type RecoveryPool,
  type RecoveryPoolErrorCode,
  type RecoveryPoolOptions,
} from './recovery-pool';
export { loadNativeSecp256k1 } from './native-secp256k1';
