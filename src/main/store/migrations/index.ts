// Every migration, in order. A new schema change is a new file `NNN-name.ts` appended here, with its
// own test; a shipped migration is never edited, because databases in the field already ran it.
import { migration001 } from './001-chain-state';
import { migration002 } from './002-events';
import { migration003 } from './003-eth-checkpoints';
import { migration004 } from './004-spends-by-owner';
import { migration005 } from './005-outputs-and-spends';
import type { Migration } from './types';

export type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
];

/** The schema version this code writes and understands. */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
