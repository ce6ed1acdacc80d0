import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

/**
 * Screenshots of the web app's main pages for docs/screenshots/, taken from a running `npm start`
 * (its facts in `$PORTICO_STATE_DIR/local.json`, `.portico` by default) in Debian's Chromium.
 */
const stateDir = process.env.PORTICO_STATE_DIR ?? '.portico';
const info = JSON.parse(readFileSync(path.join(stateDir, 'local.json'), 'utf8'));
const out = path.join('docs', 'screenshots');
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

async function signedIn(person: { username: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  await page.goto(`${info.baseUrl}/`);
  await page.getByRole('banner').getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/oauth2\/authorize/);
  await shot(page, 'sign-in');
  await page.getByLabel('Username').fill(person.username);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  // A page shows what it loaded, not its loading state (the app's CSP allows no in-page eval: poll).
  const loading = page.locator('main').getByText(/\b(Loading|Searching)\b/);
  for (let waited = 0; waited < 15_000 && (await loading.count()) > 0; waited += 200)
    await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

async function visit(page: Page, link: { name: string; within?: string }, name: string): Promise<void> {
  const scope = link.within ? page.getByRole('navigation', { name: link.within }) : page;
  await scope.getByRole('link', { name: link.name, exact: true }).first().click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await shot(page, name);
}

/** The load runs of echo's first test case (made by hand first), after a short run if none has completed. */
async function loadRunShot(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Console' })
    .getByRole('link', { name: 'APIs', exact: true })
    .click();
  await page.getByRole('link', { name: 'echo', exact: true }).click();
  await page.getByRole('link', { name: /^Test cases/ }).click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  const firstCase = page.getByRole('table', { name: 'Test cases of echo' }).getByRole('link');
  await firstCase
    .first()
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined);
  if ((await firstCase.count()) === 0) {
    console.log('no test case of echo: no load-run screenshot');
    return;
  }
  await firstCase.first().click();
  const section = page.getByRole('region', { name: 'Load runs', exact: true });
  await section.waitFor();
  await page.waitForLoadState('networkidle');
  if (!/Completed/.test(await section.innerText())) {
    await section.getByLabel('Requests per second').fill('20');
    await section.getByLabel('Duration (seconds)').fill('10');
    await section.getByRole('button', { name: 'Start load run' }).click();
    await section.getByText('Completed', { exact: false }).first().waitFor({ timeout: 60_000 });
  }
  await section.getByRole('img', { name: /^Latency per second/ }).waitFor();
  await section.screenshot({ path: path.join(out, 'console-load-run.png') });
  console.log('docs/screenshots/console-load-run.png');
}

try {
  const developer = await signedIn(info.user);
  await shot(developer, 'home');
  await visit(developer, { name: 'APIs', within: 'Main' }, 'catalog');
  await developer.getByRole('link', { name: /echo/ }).first().click();
  await developer.getByRole('heading', { level: 1, name: 'echo' }).waitFor();
  await shot(developer, 'api-reference');
  await visit(developer, { name: 'My apps', within: 'Main' }, 'my-apps');

  const operator = await signedIn(info.operator);
  await visit(operator, { name: 'Console', within: 'Main' }, 'console-overview');
  for (const [section, name] of [
    ['APIs', 'console-apis'],
    ['Logs', 'console-logs'],
    ['Partners', 'console-partners'],
    ['Audit log', 'console-audit'],
  ] as const)
    await visit(operator, { name: section, within: 'Console' }, name);
  await loadRunShot(operator);
} finally {
  await browser.close();
}
