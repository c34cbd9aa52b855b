// Locks the wallet after a stretch without input. The timer is injectable so tests drive it with fake
// time; the DOM wiring (which events count as input) is a separate, thin function.

export interface IdleTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface IdleLock {
  /** Input happened: start the countdown again. */
  activity(): void;
  /** Changes the idle time; 0 = never lock. Restarts the countdown. */
  setMinutes(minutes: number): void;
  readonly minutes: number;
  /** Stops the timer for good (on lock or unmount). */
  stop(): void;
}

const defaultTimers: IdleTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The longest idle time accepted (a day); the setting is in whole minutes. */
export const MAX_IDLE_MINUTES = 24 * 60;

function checkMinutes(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_IDLE_MINUTES) {
    throw new RangeError(
      `The idle lock time is a whole number of minutes from 0 (never) to ${MAX_IDLE_MINUTES}.`,
    );
  }
  return minutes;
}

/** Calls `onLock` once `minutes` pass without activity(); after it fires it stays stopped. */
export function createIdleLock(
  minutes: number,
  onLock: () => void,
  timers: IdleTimers = defaultTimers,
): IdleLock {
  let current = checkMinutes(minutes);
  let handle: unknown = null;
  let stopped = false;

  const clear = () => {
    if (handle !== null) timers.clearTimeout(handle);
    handle = null;
  };
  const arm = () => {
    clear();
    if (stopped || current === 0) return;
    handle = timers.setTimeout(() => {
      handle = null;
      stopped = true;
      onLock();
    }, current * 60_000);
  };

  arm();
  return {
    activity: arm,
    setMinutes(next) {
      current = checkMinutes(next);
      arm();
    },
    get minutes() {
      return current;
    },
    stop() {
      stopped = true;
      clear();
    },
  };
}

/** The events that count as a person using the app. */
export const ACTIVITY_EVENTS = [
  'pointerdown',
  'pointermove',
  'keydown',
  'wheel',
  'touchstart',
] as const;

export interface ActivitySource {
  addEventListener(type: string, listener: () => void, options?: { passive?: boolean }): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** Feeds input events of `target` (the window) to the idle lock; returns the unsubscribe. */
export function watchActivity(lock: IdleLock, target: ActivitySource): () => void {
  const listener = () => lock.activity();
  for (const type of ACTIVITY_EVENTS) target.addEventListener(type, listener, { passive: true });
  return () => {
    for (const type of ACTIVITY_EVENTS) target.removeEventListener(type, listener);
  };
}
