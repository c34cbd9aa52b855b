// `npm run watcher` starts here: the headless watcher (cli.ts) with the watcher's V8 heap flags,
// Node re-executed with them first when it lacks them. This file imports nothing heavy, so the
// parent that waits on the re-executed watcher stays small (about half the RSS of one that had
// loaded the watcher's modules).
import { reexecWithV8Flags } from './v8-flags';

if (!reexecWithV8Flags()) await import('./cli');
