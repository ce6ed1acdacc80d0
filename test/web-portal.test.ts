import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations, signIn, skipBrowserTests } from './support/browser.ts';
import { portico } from './support/platform.ts';

const FOCUSED_TEXT = 'document.activeElement?.textContent?.trim()';

/** The developer portal in a real browser, as a third-party developer and an operator use it. */
describe.skipIf(skipBrowserTests)('the web app in a browser', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const freshPage = async () => {
    await page?.context().close();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    return page;
  };

  it('lets a developer sign in, read the echo API’s docs and get the sandbox’s answer from try-it', async () => {
    await freshPage();
    await page.goto(`${portico().baseUrl}/`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('banner').getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/oauth2\/authorize/);
    // The platform's sign-in page: a first-party sign-in, no consent to give.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to Portico');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Username').fill(portico().user.username);
    await page.getByLabel('Password').fill(portico().user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Demo Developer').waitFor();
    // Tokens stay in memory: nothing a script on the page could read later is left in storage.
    expect(await page.evaluate('[localStorage.length, sessionStorage.length]')).toEqual([0, 0]);

    await page.getByRole('navigation').getByRole('link', { name: 'APIs' }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: /echo/ }).first().click();
    await page.waitForURL(/\/docs\/echo$/);
    await page.getByRole('heading', { level: 1, name: 'echo' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const send = page.getByRole('button', { name: 'Send' }).first();
    const tryIt = page.locator('form').filter({ has: send }).first();
    await tryIt.getByLabel(/path/).fill('hello');
    await send.click();
    await expect.poll(() => tryIt.locator('xpath=..').innerText()).toContain('Hello from the echo sandbox');
    expect(await tryIt.locator('xpath=..').innerText()).toContain('200');
  });

  it('starts keyboard navigation at “Skip to content”, and reaches sign-in from the keyboard', async () => {
    await freshPage();
    await page.goto(`${portico().baseUrl}/docs`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(FOCUSED_TEXT)).toBe('Skip to content');
    for (let i = 0; i < 10; i++) {
      const focused = await page.evaluate(FOCUSED_TEXT);
      if (focused === 'Sign in') break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/oauth2\/authorize/);
  });

  it('shows an operator the console with their role, and a developer none', async () => {
    await freshPage();
    await signIn(page, portico().operator);
    await page.getByRole('link', { name: 'Console' }).click();
    await page.getByText('admin', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await freshPage();
    await signIn(page, portico().user);
    expect(await page.getByRole('link', { name: 'Console' }).count()).toBe(0);
  });
});
