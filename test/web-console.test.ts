import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations, signIn, skipBrowserTests } from './support/browser.ts';
import { as } from './support/http.ts';
import { adminToken, demoToken } from './support/oauth.ts';
import { newPartner } from './support/partners.ts';
import { portico } from './support/platform.ts';

/** The admin console in a real browser, as an operator uses it. */
describe.skipIf(skipBrowserTests)('the console in a browser', () => {
  let browser: Browser;
  let page: Page;
  let partnerId: string;
  const traceId = randomBytes(16).toString('hex');

  beforeAll(async () => {
    browser = await launchBrowser();
    partnerId = await newPartner(await adminToken());
    // Calls for the dashboard and the trace search: one carries a trace id the test knows.
    const demo = as(await demoToken());
    for (let i = 0; i < 5; i++) await demo.get(`/apis/echo/console-test-${i}`);
    await demo.get('/apis/echo/traced', {
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, portico().operator);
    await page.getByRole('link', { name: 'Console' }).click();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = async (section: string) => {
    await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: section, exact: true })
      .click();
    await page.getByRole('heading', { level: 1 }).waitFor();
  };

  it('shows the calls just made on the overview’s charts', async () => {
    await open('Overview');
    const chart = page.getByRole('img').first();
    await expect
      .poll(
        async () => {
          await page
            .getByRole('button', { name: /refresh/i })
            .first()
            .click();
          return (await chart.getAttribute('aria-label')) ?? '';
        },
        { timeout: 30_000, interval: 2_000 },
      )
      .toMatch(/[1-9]\d* call/);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows a definition’s error against its field, then saves it fixed', async () => {
    await open('APIs');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'sample-orders', exact: true }).click();
    const timeout = page.getByLabel('Timeout (ms)');
    await timeout.fill('999999');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => timeout.getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    await timeout.fill('6000');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/Saved as revision \d+/).waitFor();
    expect(await timeout.getAttribute('aria-invalid')).not.toBe('true');
  });

  it('finds a call by its trace id and shows its tree', async () => {
    await open('Logs');
    expect(await seriousViolations(page)).toEqual([]);
    const find = page.getByRole('form', { name: 'Find a trace' });
    await find.getByLabel('Trace id').fill(traceId);
    await find.getByRole('button', { name: 'Open trace' }).click();
    const tree = page.getByRole('region', { name: 'Call tree' }).or(page.getByRole('table'));
    await expect
      .poll(async () => (await tree.first().innerText()).includes('/traced'), { timeout: 20_000 })
      .toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('creates a notice and sees the partner unhealthy', async () => {
    await open('Partners');
    expect(await seriousViolations(page)).toEqual([]);
    // The list names partners by their name; several tests' partners share one, so go by the address.
    await page.locator(`a[href$="/partners/${partnerId}"]`).first().click();
    await page.getByLabel('What is wrong').fill('Database maintenance');
    const now = Date.now();
    const local = (ms: number) => {
      const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
      return d.toISOString().slice(0, 16);
    };
    await page.getByLabel('From (your local time)').fill(local(now - 3_600_000));
    await page.getByLabel('Until (your local time)').fill(local(now + 3_600_000));
    await page.getByRole('button', { name: 'Create notice' }).click();
    await expect
      .poll(async () => (await page.getByRole('main').innerText()).includes('Unhealthy'), { timeout: 20_000 })
      .toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('creates a test case for echo and runs it', async () => {
    await open('APIs');
    await page.getByRole('link', { name: 'echo', exact: true }).click();
    await page.getByRole('link', { name: /^Test cases/ }).click();
    await page.getByRole('link', { name: 'New test case' }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    const name = `Hello answers ${randomBytes(3).toString('hex')}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Request path').fill('/hello');
    await page.getByLabel('Expected status').fill('200');
    await page.getByRole('button', { name: 'Add an assertion' }).click();
    await page.getByLabel('Assertion 1: JSONPath').fill('$.message');
    await page.getByLabel('Assertion 1: Expected value (JSON)').fill('"Hello from the echo sandbox"');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create the test case' }).click();
    await page.getByRole('button', { name: 'Run now', exact: true }).click();
    await expect
      .poll(async () => (await page.getByRole('main').innerText()).match(/Passed|Failed/)?.[0], {
        timeout: 40_000,
      })
      .toBe('Passed');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('starts a load run of that case and sees its latency and error rate', async () => {
    const section = page.getByRole('region', { name: 'Load runs', exact: true });
    await section.getByLabel('Requests per second').fill('5');
    await section.getByLabel('Duration (seconds)').fill('2');
    await section.getByLabel('Requests in flight at most').fill('2');
    await section.getByRole('button', { name: 'Start load run' }).click();
    const run = section.getByRole('region', { name: /^Load run of / });
    await expect
      .poll(async () => (await run.innerText()).match(/Completed|Failed|Abandoned/)?.[0], {
        timeout: 30_000,
        interval: 1_000,
      })
      .toBe('Completed');
    const shown = await run.innerText();
    expect(shown).toContain('10 of 10 planned requests sent');
    expect(shown).toMatch(/Sent\s+10\s/);
    expect(shown).toMatch(/Error rate\s+0 %/);
    await run
      .getByRole('img', { name: /^Latency per second \(p50 and p99\)\. Over \d+ seconds?, / })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('activates a pending developer account, and passes axe on every other console page', async () => {
    const admin = as(await adminToken());
    const name = `Pending Co ${randomBytes(3).toString('hex')}`;
    const created = await admin.send('POST', '/console/v1/developers', {
      name,
      email: 'pending@example.com',
    });
    await admin.send('PATCH', `/console/v1/developers/${created.body.developerId}`, { status: 'pending' });
    await open('Developers');
    await page.getByRole('button', { name: `Activate ${name}` }).click();
    await page.getByRole('button', { name: `Disable ${name}` }).waitFor();
    expect((await admin.get(`/console/v1/developers/${created.body.developerId}`)).body.status).toBe(
      'active',
    );
    expect(await seriousViolations(page)).toEqual([]);
    for (const section of ['Apps', 'Access requests', 'Audit log']) {
      await open(section);
      expect(await seriousViolations(page), section).toEqual([]);
    }
  });
});
