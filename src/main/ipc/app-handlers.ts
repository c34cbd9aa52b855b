// The first real handlers: what the app is, where it runs, and where it keeps its data.
import type { HandlerTable } from './router';

export interface AppFacts {
  appVersion: string;
  electronVersion: string | null;
  chromeVersion: string | null;
  nodeVersion: string;
  platform: string;
  arch: string;
  dataDirectory: string;
}

export function appHandlers(
  facts: AppFacts,
): Pick<HandlerTable, 'app.version' | 'app.platform' | 'app.dataDirectory'> {
  return {
    'app.version': () => ({
      app: facts.appVersion,
      electron: facts.electronVersion,
      chrome: facts.chromeVersion,
      node: facts.nodeVersion,
    }),
    'app.platform': () => ({ os: facts.platform, arch: facts.arch }),
    'app.dataDirectory': () => ({ path: facts.dataDirectory }),
  };
}

/** The full table the shell registers; later issues add their handler groups here. */
export function createHandlerTable(facts: AppFacts): HandlerTable {
  return { ...appHandlers(facts) };
}
