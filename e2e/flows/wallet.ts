// The wallet's user flows as the browser tests walk them, shared by the scripted and the devnet
// specs: open a screen, create a wallet (phrase shown, three words confirmed), import a phrase.
import { expect, type Page } from '@playwright/test';

export async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name }).click();
}

/** Types each asked word (labelled "Word N") from the phrase. */
export async function answerWords(page: Page, phrase: readonly string[]): Promise<void> {
  const asked = page.getByLabel(/^Word \d+$/);
  await expect(asked).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    const label = await asked.nth(i).evaluate((el) => el.parentElement?.textContent ?? '');
    await asked.nth(i).fill(phrase[Number(/Word (\d+)/.exec(label)![1]) - 1]!);
  }
}

/** Starts creating a wallet and returns the 12 words shown (still on the phrase screen). */
export async function createWalletPhrase(page: Page, password: string): Promise<string[]> {
  await page.getByLabel('New password for this wallet').fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Create wallet' }).click();
  const words = page.getByRole('list', { name: 'Recovery phrase' }).getByRole('listitem');
  await expect(words).toHaveCount(12, { timeout: 30_000 });
  return words.allTextContents();
}

export async function expectHome(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Balances' })).toBeVisible({ timeout: 30_000 });
}

/** Creates a wallet end to end and returns its phrase. */
export async function createWallet(page: Page, password: string): Promise<string[]> {
  const phrase = await createWalletPhrase(page, password);
  await page.getByRole('button', { name: 'I wrote them down' }).click();
  await answerWords(page, phrase);
  await page.getByRole('button', { name: 'Confirm and save' }).click();
  await expectHome(page);
  return phrase;
}

/** Imports a recovery phrase on the first screen and waits for Home. */
export async function importPhrase(
  page: Page,
  phrase: string,
  password: string,
  beforeSubmit?: () => Promise<unknown>,
): Promise<void> {
  await page.getByRole('radio', { name: 'Import a recovery phrase' }).check();
  await page.getByRole('textbox', { name: 'Recovery phrase' }).fill(phrase);
  await page.getByLabel('New password for this wallet').fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await beforeSubmit?.();
  await page.getByRole('button', { name: 'Import wallet' }).click();
  await expectHome(page);
}

/** Locks, tries a wrong password (which must say so), then unlocks with the right one. */
export async function lockAndUnlock(
  page: Page,
  password: string,
  onWrong?: () => Promise<unknown>,
) {
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await page.getByLabel('Password').fill(`not ${password}`);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong password', { timeout: 30_000 });
  await onWrong?.();
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expectHome(page);
}

/**
 * Refreshes Home until the Exits screen lists `count` outputs to exit (deposits count once the
 * devnet's watcher has seen them past their finality margin).
 */
export async function expectOutputsToExit(page: Page, count: number): Promise<void> {
  const outputs = page.getByRole('list', { name: 'Outputs to exit' }).getByRole('listitem');
  await expect(async () => {
    await openScreen(page, 'Home');
    await page.getByRole('button', { name: /^Refresh/ }).click();
    await openScreen(page, 'Exits');
    await expect(outputs).toHaveCount(count, { timeout: 1000 });
  }).toPass({ timeout: 90_000, intervals: [500, 1000, 2000] });
}
