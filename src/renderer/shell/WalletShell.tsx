// The unlocked wallet: navigation, the account in use, the chain banner, the open screen and the
// status bar. Keeps the chain and account stores fed while it is shown, and locks when idle.
import { useEffect } from 'react';
import { ScreenBoundary } from './ScreenBoundary';
import { ChainBanner } from '../alerts/ChainBanner';
import { NoticeToasts, useNoticeRoutes } from '../alerts/NoticeToasts';
import { StatusBar } from '../alerts/StatusBar';
import { AccountsScreen } from '../accounts/AccountsScreen';
import { DepositScreen } from '../deposit/DepositScreen';
import { ExitsScreen } from '../exits/ExitsScreen';
import { useSigner } from '../exits/ExitAction';
import { useOutboxResume } from '../exits/outbox-resume';
import { HistoryScreen } from '../history/HistoryScreen';
import { HomeScreen } from '../home/HomeScreen';
import { MergeScreen } from '../merge/MergeScreen';
import { SendScreen } from '../send/SendScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { useAccountStore } from '../state/account-store';
import { useChainStore } from '../state/chain-store';
import { useExitStore } from '../state/exit-store';
import { screens, useNavStore } from '../state/nav-store';
import { useSessionStore } from '../state/session-store';
import { useSettingsStore } from '../state/settings-store';
import { createIdleLock, watchActivity } from '../wallet/idle-lock';

const screenViews = {
  home: HomeScreen,
  send: SendScreen,
  deposit: DepositScreen,
  merge: MergeScreen,
  exits: ExitsScreen,
  history: HistoryScreen,
  accounts: AccountsScreen,
  settings: SettingsScreen,
};

function useChainFeed() {
  const follow = useChainStore((s) => s.follow);
  const loadFees = useChainStore((s) => s.loadFees);
  const loadTokens = useChainStore((s) => s.loadTokens);
  const selected = useSessionStore((s) => s.selected);
  const selectAccount = useAccountStore((s) => s.select);
  const validated = useChainStore((s) => s.snapshot?.lastValidatedBlock ?? null);
  const child = useAccountStore((s) => s.child);
  const ethereum = useAccountStore((s) => s.ethereum);

  useEffect(() => follow(), [follow]);
  useEffect(() => {
    void loadFees();
  }, [loadFees]);
  useEffect(() => {
    void selectAccount(selected);
  }, [selected, selectAccount]);
  // Every newly validated block may change balances, UTXOs, history and pending payments.
  useEffect(() => {
    if (validated === null) return;
    const account = useAccountStore.getState();
    account.settle(validated);
    void account.refresh();
  }, [validated]);
  useEffect(() => {
    const seen = [
      ...(child?.balances.map((b) => b.token) ?? []),
      ...(ethereum?.tokens.map((t) => t.token) ?? []),
    ];
    if (seen.length) void loadTokens(seen);
  }, [child, ethereum, loadTokens]);
}

/**
 * Screens closed while safe mode is on (deposits, merges). Send stays open: it shows why main
 * refuses payments, in the watcher's words.
 */
const closedInSafeMode = new Set(['deposit', 'merge']);

/** Follows exits and safe mode for the account in use; finishes an exit-everything a restart cut short. */
function useExitFeed() {
  const selected = useSessionStore((s) => s.selected);
  const follow = useExitStore((s) => s.follow);
  const signer = useSigner();
  const pending = useExitStore((s) => s.outbox.some((o) => o.state === 'pending'));
  const idle = useExitStore((s) => s.action?.activity == null);
  useEffect(() => (selected ? follow(selected) : undefined), [selected, follow]);
  useOutboxResume(signer?.owner ?? null, pending, idle, () => {
    if (signer) void useExitStore.getState().resumeOutbox(signer);
  });
}

function useIdleLock() {
  const lock = useSessionStore((s) => s.lock);
  const load = useSettingsStore((s) => s.load);
  const minutes = useSettingsStore((s) => s.settings?.idleLockMinutes ?? null);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (minutes === null) return;
    const idle = createIdleLock(minutes, lock);
    const stop = watchActivity(idle, window);
    return () => {
      stop();
      idle.stop();
    };
  }, [minutes, lock]);
}

export function WalletShell() {
  const screen = useNavStore((s) => s.screen);
  const go = useNavStore((s) => s.go);
  const { accounts, selected, select, lock } = useSessionStore();
  useChainFeed();
  useExitFeed();
  useIdleLock();
  const safeMode = useExitStore((s) => s.safeMode?.active === true);
  // Every unlock starts at Home, unless a notice asked for its action (opened after this).
  useEffect(() => go('home'), [go]);
  useNoticeRoutes();
  const Screen = screenViews[screen];
  return (
    <>
      <header className="topbar">
        <h1>Vigil</h1>
        <nav aria-label="Screens">
          {screens.map((s) => (
            <button
              key={s.id}
              type="button"
              aria-current={s.id === screen ? 'page' : undefined}
              onClick={() => go(s.id)}
            >
              {s.label}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <label className="check">
          Account
          <select value={selected ?? ''} onChange={(e) => select(e.target.value)}>
            {accounts.map((a) => (
              <option key={a.address} value={a.address}>
                {a.name} ({a.checksumAddress.slice(0, 8)}…{a.canSign ? '' : ', watch-only'})
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" onClick={lock}>
          Lock
        </button>
      </header>
      <main className="content">
        <NoticeToasts />
        <ChainBanner />
        <ScreenBoundary resetKey={`${screen}:${selected ?? ''}`}>
          {safeMode && screen !== 'exits' && (
            <p role="alert" className="error">
              Safe mode: payments and deposits are off while the chain is not safe. Open Exits to
              take your money back to Ethereum.
            </p>
          )}
          {safeMode && closedInSafeMode.has(screen) ? null : <Screen />}
        </ScreenBoundary>
      </main>
      <StatusBar />
    </>
  );
}
