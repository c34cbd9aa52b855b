import { describe, expect, it } from 'vitest';
import { eventFixture, snapshotFixture } from '../testing/fixtures';
import { banner, sendRefusal, statusLine } from './chain-status';

describe('statusLine', () => {
  it('says the chain is valid with the blocks checked', () => {
    const line = statusLine(snapshotFixture());
    expect(line.kind).toBe('valid');
    expect(line.text).toContain('Chain valid');
    expect(line.text).toContain('3 of 3');
  });

  it('says so when the operator has formed no block yet', () => {
    const line = statusLine(snapshotFixture({ lastValidatedBlock: '0', lastMinedBlock: '0' }));
    expect(line.text).toMatch(/^Chain valid: no child blocks yet\./);
    expect(line.progress).toBeNull();
  });

  it('shows sync progress in child blocks, not raw block numbers', () => {
    const line = statusLine(
      snapshotFixture({
        status: { kind: 'syncing', reason: 'Downloading blocks.' },
        lastValidatedBlock: '2000',
        lastMinedBlock: '8000',
      }),
    );
    expect(line.progress).toEqual({ value: 2, max: 8 });
    expect(line.text).toContain('2 of 8 blocks validated');
  });

  it('puts the reason of an invalid chain in the sentence', () => {
    const line = statusLine(
      snapshotFixture({ status: { kind: 'invalid', reason: 'Block 4000 spends a spent output.' } }),
    );
    expect(line.text).toBe('Chain INVALID: Block 4000 spends a spent output.');
  });

  it('has a sentence before the first snapshot', () => {
    expect(statusLine(null).text).toMatch(/Connecting/);
  });
});

describe('banner', () => {
  it('is absent on a healthy chain', () => {
    expect(banner(snapshotFixture())).toBeNull();
  });

  it('names an invalidating event before an older warning', () => {
    const warning = eventFixture({
      id: 1,
      kind: 'invalid_exit',
      invalidating: false,
      description: 'Challenge the exit.',
      firstSeenAt: 1,
    });
    const danger = eventFixture({ id: 2, firstSeenAt: 2 });
    const shown = banner(snapshotFixture({ events: [warning, danger] }));
    expect(shown?.severity).toBe('danger');
    expect(shown?.event?.id).toBe(2);
    expect(shown?.message).toContain('exit all your outputs');
  });

  it('warns about an event that needs action on an otherwise valid chain', () => {
    const shown = banner(
      snapshotFixture({
        events: [
          eventFixture({ invalidating: false, kind: 'invalid_exit', description: 'Challenge it.' }),
        ],
      }),
    );
    expect(shown).toMatchObject({ severity: 'warning', message: 'Challenge it.' });
  });

  it('shows an invalid status even without an event', () => {
    const shown = banner(snapshotFixture({ status: { kind: 'invalid', reason: 'Withheld.' } }));
    expect(shown).toMatchObject({ severity: 'danger', message: 'Withheld.' });
  });
});

describe('sendRefusal', () => {
  it('allows sending when main says it may be submitted', () => {
    expect(sendRefusal(snapshotFixture())).toBeNull();
  });
  it("repeats main's reason when refused", () => {
    expect(
      sendRefusal(snapshotFixture({ canSubmit: false, submitRefusal: 'The chain is syncing.' })),
    ).toBe('The chain is syncing.');
  });
  it('refuses before the first snapshot', () => {
    expect(sendRefusal(null)).toMatch(/not reported/);
  });
});
