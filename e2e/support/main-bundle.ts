// Shared by the tests that load the BUILT main bundle (out/main/index.js) under a stub electron:
// where it is, and a build when any main-side source is newer than it (npm test builds first anyway).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const MAIN_BUNDLE = resolve('out/main/index.js');

function bundleIsStale(): boolean {
  if (!existsSync(MAIN_BUNDLE)) return true;
  const builtAt = statSync(MAIN_BUNDLE).mtimeMs;
  return ['src/main', 'src/shared', 'src/preload'].some((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' }).some(
      (f) => statSync(resolve(dir, f)).mtimeMs > builtAt,
    ),
  );
}

/** Builds the app if the bundle is stale, then imports it (its top level starts the shell). */
export async function loadMainBundle(): Promise<void> {
  if (bundleIsStale()) execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  await import(pathToFileURL(MAIN_BUNDLE).href);
}

/** A request as the Vigil renderer's own frame sends it. */
export const ownFrame = (): { senderFrame: { url: string } } => ({
  senderFrame: { url: pathToFileURL(resolve('out/renderer/index.html')).href },
});
