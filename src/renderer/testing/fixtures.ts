// Chain snapshots and accounts in the shapes main sends, for the renderer's tests.
import type { ChainEventView, ChainSnapshot } from '../../shared/wallet';

export function snapshotFixture(overrides: Partial<ChainSnapshot> = {}): ChainSnapshot {
  return {
    network: {
      name: 'Local devnet',
      chainId: 31337,
      childBlockInterval: 1000,
      contracts: {
        plasmaFramework: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
        ethVault: '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0',
        erc20Vault: '0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9',
      },
    },
    status: { kind: 'valid', reason: '' },
    lastValidatedBlock: '3000',
    lastMinedBlock: '3000',
    ethereumHeight: 120,
    alarms: [],
    events: [],
    canSubmit: true,
    submitRefusal: null,
    at: 1_700_000_000_000,
    ...overrides,
  };
}

export function eventFixture(overrides: Partial<ChainEventView> = {}): ChainEventView {
  return {
    id: 1,
    kind: 'invalid_block',
    description: 'Block 4000 is invalid: exit all your outputs now, before the deadline.',
    invalidating: true,
    details: { blknum: 4000 },
    firstSeenAt: 1_700_000_000_000,
    ...overrides,
  };
}
