// Screenshots of every screen, for review. The devnet's screens hold what differs on every run
// (a fresh recovery phrase, addresses, hashes, Ethereum heights, "first seen" times), so a run of
// the browser tests would rewrite the committed PNGs and leave the tree dirty. Each run therefore
// writes them to test-results/screens/ (ignored by git); the committed set in e2e/screens/ is
// refreshed only when asked: `VIGIL_SCREENSHOTS=update npm run test:e2e`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

export const SCREENS_DIR =
  process.env['VIGIL_SCREENSHOTS'] === 'update' ? 'e2e/screens' : 'test-results/screens';

/** Saves a full-page screenshot of the current screen as <name>.png. */
export async function saveScreen(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
}
