// The V8 heap settings of every process that runs the watcher (issue 6: peak RSS under 400 MB while
// catching up over blocks of 1,000 payments), in this one place. A process cannot change its own
// heap once started, so each launcher passes them at start: the headless watcher's launcher
// (launch.ts) re-executes Node with them (reexecWithV8Flags), Electron gets them as --js-flags
// (scripts/start.mjs), bench/run.ts and bench/watcher-block.ts re-execute Node with them, and
// bench/watcher-catchup.ts forks its sync processes with them: the benchmarks measure what users run.
//
// Why these: the peak is young-generation garbage, not live data (the live heap stays under 100 MB
// while syncing 1,000-payment blocks). V8 sizes each isolate's young generation from
// --max-semi-space-size (Node 24's default lets it grow past 16 MB per semi-space), and the flag is
// process-wide, so the recovery pool's worker threads get the smaller young generation too.
// bench/watcher-catchup.ts, 200 blocks × 1,000 payments, peak RSS (VmHWM) of pass 2: one run back
// to back on a busy 2-core machine gave none 453 MB, --max-semi-space-size=16 396, =8 374, =4 324,
// --max-old-space-size=160 alone 343; a second, interleaved, gave none 529 and 433, =4 351 and 367,
// at the same throughput (3,189 and 3,215 tx/s unflagged, 3,189 and 3,197 with =4). =4 is the one
// with a margin under 400 MB. Measured again on 2026-12-07 (pass 2 of the full catch-up, the three
// sets back to back): =4 384 MB, =8 404, =16 423, so =4 stays. Its price is on full blocks: the main
// thread collected its young generation ~330 times for a 65,536-transaction block, ~2 s of pauses
// against ~1 s with V8's default; after the same day's cuts in what validation allocates, ~210 times
// and ~0.9 s (bench/watcher-block.ts runs with these flags and prints it). The old space is
// left at V8's default (~4 GB here): a full 65,536-payment block needs some 300–400 MB of heap, so
// capping it (as --max-old-space-size=160 would) risks an out-of-memory crash for a small gain.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export const WATCHER_V8_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/** Set in the re-executed process so it never re-executes again, whatever its execArgv says. */
const APPLIED_ENV = 'VIGIL_V8_FLAGS_APPLIED';

/** A V8 flag's name (`--max-semi-space-size` of `--max_semi_space_size=4`). */
const flagName = (flag: string): string => flag.split('=')[0]!.replaceAll('_', '-');

/** The flags of WATCHER_V8_FLAGS that a process started with `execArgv` lacks (matched by name). */
export function missingV8Flags(
  execArgv: readonly string[],
  flags: readonly string[] = WATCHER_V8_FLAGS,
): string[] {
  const given = new Set(execArgv.map(flagName));
  return flags.filter((flag) => !given.has(flagName(flag)));
}

/** `execArgv` without any of the flags WATCHER_V8_FLAGS sets (for a child given other values). */
export function withoutWatcherV8Flags(execArgv: readonly string[]): string[] {
  const ours = new Set(WATCHER_V8_FLAGS.map(flagName));
  return execArgv.filter((arg) => !ours.has(flagName(arg)));
}

/** The value of Electron's js-flags switch. */
export const jsFlags = (): string => WATCHER_V8_FLAGS.join(' ');

/**
 * When this process lacks WATCHER_V8_FLAGS, runs the same script again in a child Node process with
 * them (same loader flags and arguments, terminal and signals passed through) and exits with its
 * code; returns true then, and the caller must do nothing more. Like the tsx launcher, this makes a
 * wrapper: a SIGKILL must go to the process that has the flags (start Node with them to avoid one). Returns false when the flags are
 * already in place (or the child was started by this function): the caller carries on.
 */
export function reexecWithV8Flags(): boolean {
  const missing = missingV8Flags(process.execArgv);
  if (missing.length === 0 || process.env[APPLIED_ENV] === '1') return false;
  // Its own process group, so a Ctrl-C at the terminal reaches it once, passed on from here like
  // SIGTERM and SIGHUP (a second one still means "stop now", as the watcher intends).
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...missing, ...process.argv.slice(1)],
    { stdio: 'inherit', detached: true, env: { ...process.env, [APPLIED_ENV]: '1' } },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => child.kill(signal));
  child.once('error', (e) => {
    console.error(`Cannot start the watcher with its heap settings: ${e.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) =>
    process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)),
  );
  return true;
}
