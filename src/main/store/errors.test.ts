import { describe, expect, it } from 'vitest';
import { StoreError, translateSqliteError } from './errors';

const sqlite = (code: string): Error => Object.assign(new Error(`sqlite says ${code}`), { code });

describe('translateSqliteError', () => {
  it('gives each SQLite failure a stable code and a sentence naming the database', () => {
    const cases: [string, string][] = [
      ['SQLITE_FULL', 'disk_full'],
      ['SQLITE_BUSY', 'database_busy'],
      ['SQLITE_BUSY_SNAPSHOT', 'database_busy'],
      ['SQLITE_CORRUPT', 'corrupt_database'],
      ['SQLITE_NOTADB', 'corrupt_database'],
      ['SQLITE_CONSTRAINT_PRIMARYKEY', 'inconsistent_state'],
      ['SQLITE_IOERR_WRITE', 'io_error'],
      ['SQLITE_READONLY', 'io_error'],
    ];
    for (const [code, expected] of cases) {
      const e = translateSqliteError(sqlite(code), '/data/vigil.sqlite') as StoreError;
      expect(e, code).toBeInstanceOf(StoreError);
      expect(e.code, code).toBe(expected);
      expect(e.message, code).toContain('/data/vigil.sqlite');
      expect(e.cause).toBeDefined();
    }
  });

  it('passes StoreErrors and errors that are not from SQLite through unchanged', () => {
    const own = new StoreError('invalid_argument', 'x');
    const bug = new TypeError('undefined is not a function');
    expect(translateSqliteError(own, 'p')).toBe(own);
    expect(translateSqliteError(bug, 'p')).toBe(bug);
    const odd = sqlite('SQLITE_MISMATCH');
    expect(translateSqliteError(odd, 'p')).toBe(odd);
  });
});
