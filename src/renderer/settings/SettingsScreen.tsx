// Settings: which network to follow (the local devnet or a saved profile, added from a file or
// typed field by field), how long before the wallet locks itself, desktop notifications.
import { useEffect, useState } from 'react';
import { Installation } from '../shell/Installation';
import { profileFromFields, useSettingsStore, type ProfileFields } from '../state/settings-store';

const fieldLabels: [keyof ProfileFields, string, string][] = [
  ['name', 'Network name', ''],
  ['chainId', 'Ethereum chain id', ''],
  ['rpcUrl', 'Ethereum RPC URL', 'http://127.0.0.1:8545'],
  ['childChainUrl', 'Child chain URL', 'http://127.0.0.1:9656'],
  ['plasmaFramework', 'PlasmaFramework address', ''],
  ['ethVault', 'ETH vault address', ''],
  ['erc20Vault', 'ERC20 vault address', ''],
  ['paymentExitGame', 'Payment exit game address', ''],
  ['authority', 'Operator (authority) address', ''],
  ['frameworkDeployTx', 'Framework deployment transaction', ''],
  ['frameworkDeployBlock', 'Framework deployment block', '0'],
  ['minExitPeriod', 'Minimum exit period (seconds)', '604800'],
  ['childBlockInterval', 'Child block interval', '1000'],
  ['depositFinality', 'Deposit confirmations', '10'],
  ['exitFinality', 'Exit confirmations', '10'],
];

const emptyFields = Object.fromEntries(fieldLabels.map(([k, , d]) => [k, d])) as ProfileFields;

export function SettingsScreen() {
  const { settings, networks, error, notice, load, update, addNetwork, selectNetwork } =
    useSettingsStore();
  const [fields, setFields] = useState<ProfileFields>(emptyFields);
  const [idle, setIdle] = useState<string>('');
  // What the user just chose, shown at once while main saves it (main's answer then takes over, or
  // the old value comes back with the store's error if saving failed).
  const [notificationsChosen, setNotificationsChosen] = useState<boolean | null>(null);
  const [networkChosen, setNetworkChosen] = useState<string | null>(null);
  useEffect(() => {
    void load();
  }, [load]);
  const idleShown = idle || String(settings?.idleLockMinutes ?? '');

  return (
    <>
      {(error || notice) && (
        <p role={error ? 'alert' : 'status'} className={error ? 'error' : 'notice'}>
          {error ?? notice}
        </p>
      )}
      <section className="panel" aria-labelledby="general-title">
        <h2 id="general-title">General</h2>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            const minutes = Number(idleShown);
            if (Number.isInteger(minutes) && minutes >= 0)
              void update({ idleLockMinutes: minutes });
          }}
        >
          <label className="field">
            Lock after this many idle minutes (0 = never)
            <input
              type="number"
              min={0}
              max={1440}
              step={1}
              value={idleShown}
              onChange={(e) => setIdle(e.target.value)}
            />
          </label>
          <button type="submit">Save lock time</button>
        </form>
        <label className="check">
          <input
            type="checkbox"
            checked={notificationsChosen ?? settings?.notifications ?? false}
            disabled={!settings}
            onChange={(e) => {
              const on = e.target.checked;
              setNotificationsChosen(on);
              void update({ notifications: on }).finally(() => setNotificationsChosen(null));
            }}
          />
          Desktop notifications for chain events
        </label>
      </section>
      <section className="panel" aria-labelledby="networks-title">
        <h2 id="networks-title">Network</h2>
        <fieldset>
          <legend>Follow this network</legend>
          {networks.map((n) => (
            <label key={n.id} className="check">
              <input
                type="radio"
                name="network"
                checked={networkChosen === null ? n.selected : networkChosen === n.id}
                onChange={() => {
                  setNetworkChosen(n.id);
                  void selectNetwork(n.id).finally(() => setNetworkChosen(null));
                }}
              />
              {n.name} (chain {n.chainId})
            </label>
          ))}
        </fieldset>
        <label className="field">
          Add a profile from a file
          <input
            type="file"
            accept="application/json,.json"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void file.text().then((text) => addNetwork(text));
              e.target.value = '';
            }}
          />
        </label>
        <details>
          <summary>Add a profile field by field</summary>
          <form
            className="grid"
            aria-label="New network profile"
            onSubmit={(e) => {
              e.preventDefault();
              void addNetwork(profileFromFields(fields)).then((ok) => ok && setFields(emptyFields));
            }}
          >
            {fieldLabels.map(([key, label]) => (
              <label key={key} className="field">
                {label}
                <input
                  value={fields[key]}
                  onChange={(e) => setFields({ ...fields, [key]: e.target.value })}
                />
              </label>
            ))}
            <button type="submit">Add network</button>
          </form>
        </details>
      </section>
      <Installation />
    </>
  );
}
