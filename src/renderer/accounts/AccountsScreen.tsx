// Accounts: every account in the vault, renameable; more accounts from a recovery phrase; more
// keys imported; watch-only addresses (balances and alerts, no signing).
import { useState } from 'react';
import { useSessionStore } from '../state/session-store';
import { Busy } from '../shell/Busy';

const kindWords = {
  mnemonic: 'from recovery phrase',
  privateKey: 'imported key',
  keystore: 'imported keystore',
  watchOnly: 'watch-only',
};

export function AccountsScreen() {
  const { accounts, vault, change, busy, error, selected, select } = useSessionStore();
  const [watchAddress, setWatchAddress] = useState('');
  const [watchName, setWatchName] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const mnemonics = vault && !vault.isLocked ? vault.mnemonics() : [];
  const nextName = `Account ${accounts.length + 1}`;

  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {busy && <Busy text={busy} />}
      <section className="panel" aria-labelledby="accounts-title">
        <h2 id="accounts-title">Accounts</h2>
        <table aria-label="Accounts">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Address</th>
              <th scope="col">Kind</th>
              <th scope="col">Use</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.address}>
                <td>
                  <RenameField
                    name={a.name}
                    onRename={(name) => change('Renaming…', (v) => v.rename(a.address, name))}
                  />
                </td>
                <td>
                  <code className="hash">{a.checksumAddress}</code>
                </td>
                <td>
                  {kindWords[a.kind]}
                  {a.index !== null ? ` #${a.index}` : ''}
                </td>
                <td>
                  {a.address === selected ? (
                    'In use'
                  ) : (
                    <button type="button" className="secondary" onClick={() => select(a.address)}>
                      Use {a.name}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {mnemonics.map((m) => (
          <button
            key={m.id}
            type="button"
            disabled={busy !== null}
            onClick={() =>
              void change('Deriving the next account…', (v) => v.addAccount(m.id, nextName))
            }
          >
            Add an account from the recovery phrase
            {mnemonics.length > 1 ? ` ${m.id.slice(0, 8)}` : ''}
          </button>
        ))}
      </section>
      <section className="panel" aria-labelledby="watch-title">
        <h2 id="watch-title">Watch an address</h2>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void change('Adding…', (v) =>
              v.addWatchOnly(watchAddress.trim(), watchName.trim() || nextName),
            ).then((ok) => ok && (setWatchAddress(''), setWatchName('')));
          }}
        >
          <label className="field">
            Address to watch
            <input value={watchAddress} onChange={(e) => setWatchAddress(e.target.value)} />
          </label>
          <label className="field">
            Name
            <input value={watchName} onChange={(e) => setWatchName(e.target.value)} />
          </label>
          <button type="submit" disabled={busy !== null}>
            Watch address
          </button>
        </form>
      </section>
      <section className="panel" aria-labelledby="import-title">
        <h2 id="import-title">Import a private key</h2>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void change('Importing…', (v) => v.importPrivateKey(privateKey, nextName)).then(() =>
              setPrivateKey(''),
            );
          }}
        >
          <label className="field">
            Private key
            <input
              type="password"
              autoComplete="off"
              value={privateKey}
              onChange={(e) => setPrivateKey(e.target.value)}
            />
          </label>
          <button type="submit" disabled={busy !== null || !privateKey}>
            Import key
          </button>
        </form>
      </section>
    </>
  );
}

function RenameField({
  name,
  onRename,
}: {
  name: string;
  onRename(name: string): Promise<boolean>;
}) {
  const [draft, setDraft] = useState(name);
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        if (draft.trim() && draft !== name) void onRename(draft.trim());
      }}
    >
      <input
        aria-label={`Name of ${name}`}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
      />
      <button type="submit" className="secondary" disabled={!draft.trim() || draft === name}>
        Rename
      </button>
    </form>
  );
}
