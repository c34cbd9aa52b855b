// Schema 4: an index of spent outputs by owner, so the wallet's history of an account (the payments
// it sent: outputs it owned that a transaction spent) is an index lookup instead of a scan of every
// spend ever recorded. `utxos` and `deposits` are already indexed by owner (schema 1).
import type Database from 'better-sqlite3';
import type { Migration } from './types';

export const migration004: Migration = {
  version: 4,
  name: 'spends-by-owner',
  up(db: Database.Database): void {
    db.exec(`CREATE INDEX spends_by_owner ON spends (owner);`);
  },
};
