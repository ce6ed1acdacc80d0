import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations, signIn, skipBrowserTests } from './support/browser.ts';
import { as } from './support/http.ts';
import { adminToken, tokenFor } from './support/oauth.ts';
import { portico, uniqueName } from './support/platform.ts';

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

  it('lets a new developer sign up, create an app, see its secret once, and apply for echo, approved by an operator', async () => {
    await freshPage();
    const username = uniqueName('webdev').toLowerCase();
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    await page.goto(`${portico().baseUrl}/`);
    await page.getByRole('banner').getByRole('link', { name: 'Sign up' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create a developer account' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const form = page.getByRole('form', { name: 'Create a developer account' });
    await form.getByLabel('Your name').fill('Web Developer');
    await form.getByLabel('Email').fill(`${username}@example.com`);
    await form.getByLabel('Username').fill(username);
    await form.getByLabel('Password').fill(password);
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/oauth2\/authorize/);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'My apps' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Create an app' }).click();
    const create = page.getByRole('form', { name: 'Create an app' });
    await create.getByLabel('Name').fill('Web shop');
    await create.getByRole('button', { name: 'Create app' }).click();
    await expect
      .poll(() => page.getByRole('main').innerText(), { timeout: 10_000 })
      .toMatch(/sk_[A-Za-z0-9_-]{20,}/);
    const secret = /sk_[A-Za-z0-9_-]{20,}/.exec(await page.getByRole('main').innerText())![0];
    expect(await seriousViolations(page)).toEqual([]);

    await page
      .getByRole('link', { name: /Web shop/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: 'Web shop' }).waitFor();
    // Shown once: the app's own page never has the secret again.
    expect(await page.getByRole('main').innerText()).not.toContain(secret);
    expect(await seriousViolations(page)).toEqual([]);
    // Another production credential: its secret shown once, the credential listed.
    const addCredential = page.getByRole('form', { name: 'Add a credential' });
    await addCredential.getByLabel('Environment of a new credential').selectOption('production');
    await addCredential.getByRole('button', { name: 'Add a credential' }).click();
    await page.getByRole('heading', { name: 'New production credential' }).waitFor();
    const added = /sk_[A-Za-z0-9_-]{20,}/.exec(await page.getByRole('main').innerText())?.[0];
    expect(added).toBeDefined();
    expect(added).not.toBe(secret);
    expect(await seriousViolations(page)).toEqual([]);
    const appId = decodeURIComponent(/\/apps\/([^/?#]+)/.exec(page.url())![1]!);
    await page.getByLabel('API', { exact: true }).selectOption('echo');
    // The app asks for echo's scope and, beside it, a plan of its own: 600 calls a minute to each API.
    const plan = page.getByRole('group', { name: /^Rate-limit plan/ });
    await plan.getByRole('textbox', { name: 'Calls to each API', exact: true }).fill('600');
    await plan.getByRole('combobox', { name: 'Calls to each API, per' }).selectOption({ label: 'minute' });
    expect(await page.getByText('Asks for echo:read and the rate-limit plan.').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect.poll(() => page.getByRole('main').innerText(), { timeout: 10_000 }).toMatch(/pending/i);
    expect(await page.getByRole('main').innerText()).toContain(
      'Rate-limit plan: 600 calls a minute to each API',
    );
    expect(await seriousViolations(page)).toEqual([]);

    // The operator decides in the console, in a browser of their own.
    const console_ = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(console_, portico().operator);
    await console_.getByRole('link', { name: 'Console' }).click();
    await console_
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Access requests' })
      .click();
    await console_.getByRole('heading', { level: 1 }).waitFor();
    // The request shows the plan it asks for, and approving says it sets the plan on the app.
    const request = console_.getByRole('row').filter({ hasText: appId });
    await request.waitFor();
    expect(await request.innerText()).toContain('600 calls a minute to each API');
    expect(await seriousViolations(console_)).toEqual([]);
    const approve = request.getByRole('button', { name: 'Approve the request of Web shop for echo' });
    const describedBy = await approve.getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
    expect(await console_.locator(`[id="${describedBy}"]`).innerText()).toContain(
      'Approving sets this plan on Web shop',
    );
    await approve.click();
    const approved = console_.getByRole('status').filter({ hasText: /Approved/ });
    await approved.waitFor();
    expect(await approved.innerText()).toContain('600 calls a minute to each API');
    await console_.context().close();
    // Approval granted echo's scope and set the plan on the app.
    const granted = await as(await adminToken()).get(`/console/v1/apps/${encodeURIComponent(appId)}`);
    expect(granted.status, granted.text).toBe(200);
    expect(granted.body.scopes).toContain('echo:read');
    expect(granted.body.rateLimits?.appApi).toEqual({ limit: 600, windowSeconds: 60 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My apps' }).click();
    await expect.poll(() => page.getByRole('main').innerText(), { timeout: 10_000 }).toMatch(/approved/i);
  });

  it('lets the demo developer subscribe a webhook and see a delivery with its attempts', async () => {
    await freshPage();
    await signIn(page, portico().user);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My apps' }).click();
    await page
      .getByRole('link', { name: /Demo app/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: 'Demo app' }).waitFor();
    await page.getByRole('button', { name: 'Add a webhook' }).click();
    const subscribe = page.getByRole('form', { name: 'Add a webhook subscription' });
    await subscribe.getByLabel('Topic').selectOption('orders.created');
    await subscribe.getByLabel('Endpoint URL').fill(`${portico().upstreamUrl}/webhooks/orders.created`);
    await subscribe.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => page.getByRole('main').innerText(), { timeout: 10_000 }).toMatch(/whsec_/);
    expect(await seriousViolations(page)).toEqual([]);

    const publisher = await tokenFor(portico().publisher.clientId, portico().publisher.clientSecret);
    const published = await as(publisher).send(
      'POST',
      '/internal/v1/topics/orders.created/messages',
      { orderId: 'o-web-1', total: 9.5, currency: 'EUR' },
      { 'idempotency-key': uniqueName('web') },
    );
    expect(published.status, published.text).toBe(202);
    const deliveries = page
      .getByRole('button', { name: /^Deliveries of the orders.created subscription/ })
      .last();
    await deliveries.click();
    const attempts = page.getByRole('button', { name: /^Attempts of delivery/ }).first();
    await expect
      .poll(
        async () => {
          if (await attempts.isVisible()) return true;
          await page
            .getByRole('button', { name: /refresh/i })
            .first()
            .click();
          return false;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    await attempts.click();
    await page.getByRole('table', { name: /^Attempts of delivery/ }).waitFor();
    expect(await page.getByRole('table', { name: /^Attempts of delivery/ }).innerText()).toMatch(/200/);
    expect(await seriousViolations(page)).toEqual([]);

    // A test message reaches this subscription alone, and its attempts show the endpoint's answer.
    await page.getByRole('button', { name: 'Send a test message' }).last().click();
    const said = page.getByRole('status').filter({ hasText: 'A test message is on its way' });
    await said.waitFor();
    const testDelivery = /delivery (msg_[A-Za-z0-9_-]+)/.exec(await said.innerText())?.[1];
    expect(testDelivery).toBeDefined();
    const testAttempts = page.getByRole('button', { name: `Attempts of delivery ${testDelivery}` });
    await expect
      .poll(
        async () => {
          if (await testAttempts.isVisible()) return true;
          await page.getByRole('button', { name: 'Refresh', exact: true }).last().click();
          return false;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    await testAttempts.click();
    const testTable = page.getByRole('table', { name: `Attempts of delivery ${testDelivery}` });
    await expect.poll(() => testTable.innerText(), { timeout: 30_000 }).toMatch(/200/);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
