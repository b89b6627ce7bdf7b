// The console's end-to-end scenarios in headless Chromium, driven by playwright-core. ConsoleBrowserTest starts the
// service and runs one scenario per process: node console-e2e.mjs SCENARIO, with the scenario's inputs in
// OFFLOAD_E2E (JSON). Exit 0 and "PASSED <scenario>" when every check held; otherwise the failure, a screenshot
// under target/console-e2e/ and exit 1. Every scenario also fails on an error in the browser's console.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const input = JSON.parse(process.env.OFFLOAD_E2E || '{}');
const scenario = process.argv[2];
const require = createRequire(path.resolve(input.toolsDir, 'package.json'));
const { chromium } = require('playwright-core');
const base = input.baseUrl;
const outDir = path.resolve(input.outDir);
mkdirSync(outDir, { recursive: true });
rmSync(path.join(outDir, `${scenario}-failure.png`), { force: true }); // a stale one from an earlier run

class Check extends Error {}
// Chromium logs every 4xx answer as a console error. A scenario names the statuses it provokes on purpose (and
// checks the console shows them); any other, and any script error, fails it.
const expected = new Set();
const expect = (...statuses) => statuses.forEach((s) => expected.add(s));
function check(condition, message) { if (!condition) throw new Check(message); }
const T = 30_000;

async function signInAs(page, token) {
  // The pasted-token form: what prod offers.
  await page.goto(`${base}/console/`);
  await page.getByLabel('Bearer token').fill(token);
  await page.locator('#token-sign-in button[type=submit]').click();
  await page.locator('h1', { hasText: /jobs/i }).waitFor({ timeout: T });
}

async function barValue(locator) {
  return Number(await locator.getAttribute('value'));
}

const scenarios = {
  // Dev sign-in by keyboard alone: a bad name is refused next to its field, a good one lands on the jobs page.
  async signIn(page) {
    await page.goto(`${base}/console`);
    await page.locator('h1', { hasText: 'Sign in' }).waitFor();
    expect(400, 401);
    const user = page.getByLabel('User name');
    await user.focus();
    await page.keyboard.type('not a name!');
    await page.keyboard.press('Enter');
    const error = page.locator(`#${await user.getAttribute('id')}-error`);
    await error.filter({ hasText: 'user name' }).waitFor({ timeout: T });
    check(await user.getAttribute('aria-invalid') === 'true', 'the user field is not marked invalid');
    check(await page.evaluate(() => document.activeElement.name) === 'user', 'focus did not return to the user field');
    await user.fill('');
    await page.keyboard.type(input.user);
    await page.keyboard.press('Tab');
    await page.keyboard.type('admin');
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: 'Jobs (everyone’s)' }).waitFor({ timeout: T });
    check((await page.locator('#who').textContent()).includes(input.user), 'the header does not name the user');
    for (const label of ['Jobs', 'Reports', 'Archives', 'Statistics', 'Operations']) {
      check(await page.locator('nav a', { hasText: label }).count() === 1, `the navigation lacks ${label}`);
    }
    // The kinds come from the API's workflows: the filter offers every declared kind.
    const kinds = await page.getByLabel('Kind').locator('option').allTextContents();
    for (const kind of input.kinds) check(kinds.includes(kind), `the kind filter lacks ${kind}: ${kinds}`);
    await page.locator('#sign-out').click();
    await page.locator('h1', { hasText: 'Sign in' }).waitFor();
    // A refused token is said next to the token field.
    await page.getByLabel('Bearer token').fill('not.a.token');
    await page.locator('#token-sign-in button[type=submit]').click();
    await page.locator('#token-sign-in .error', { hasText: 'refused' }).waitFor({ timeout: T });
  },

  // The jobs list: filtered by kind and state, and a running job's bar fed by its event stream until success.
  async jobsLive(page) {
    await signInAs(page, input.token);
    await page.getByLabel('Kind').selectOption('canary');
    await page.getByLabel('State').selectOption('');
    await page.locator('#job-filters button').click();
    await page.waitForURL(/kind=canary/);
    const row = page.locator(`tr[data-job="${input.running}"]`);
    await row.waitFor({ timeout: T });
    check(await row.locator('td').nth(3).textContent() === input.owner, 'the owner column is wrong');
    await row.locator('[data-state="success"]').waitFor({ timeout: T });
    check(await barValue(row.locator('progress')) === 100, 'the bar did not reach 100');
    check(await page.locator(`tr[data-job="${input.other}"]`).count() === 0, 'another user’s job is listed');
    // Filtering by state keeps only those jobs.
    await page.getByLabel('State').selectOption('cancelled');
    await page.locator('#job-filters button').click();
    await page.waitForURL(/state=cancelled/);
    await page.locator('#jobs, #no-jobs').first().waitFor();
    check(await page.locator(`tr[data-job="${input.running}"]`).count() === 0, 'a succeeded job shows under cancelled');
  },

  // A report from its generator's form: a bad option is shown next to its field, then a good one runs to 100 %
  // and its file downloads.
  async report(page) {
    await signInAs(page, input.token);
    await page.locator('nav a', { hasText: 'Reports' }).click();
    const form = page.locator('form[data-generator="jobs-detail"]');
    await form.waitFor();
    expect(400);
    for (const g of input.generators) check(await page.locator(`form[data-generator="${g}"]`).count() === 1, `no form for ${g}`);
    const from = form.getByLabel('from', { exact: true });
    await from.fill('yesterday');
    await from.press('Enter');
    const fromError = form.locator(`#${await from.getAttribute('id')}-error`);
    await fromError.filter({ hasText: /./ }).waitFor({ timeout: T });
    check(await from.getAttribute('aria-invalid') === 'true', 'the from field is not marked invalid');
    await from.fill('2000-01-01');
    await form.getByLabel('format').selectOption('csv');
    await form.locator('button[type=submit]').focus();
    await page.keyboard.press('Enter');
    const watch = form.locator('.watch').first();
    await watch.locator('[data-state="success"]').waitFor({ timeout: T });
    check(await barValue(watch.locator('progress')) === 100, 'the report bar did not reach 100');
    check(await fromError.textContent() === '', 'the old error stayed');
    const [download] = await Promise.all([page.waitForEvent('download'), watch.locator('button.download').click()]);
    const file = path.join(outDir, `report-${Date.now()}.csv`);
    await download.saveAs(file);
    check(/^jobs-detail-\d{8}-\d{6}\.csv$/.test(download.suggestedFilename()), `unexpected name ${download.suggestedFilename()}`);
    const text = readFileSync(file, 'utf8');
    check(text.split('\n')[0].includes('kind'), `the csv has no header: ${text.slice(0, 80)}`);
    check(text.includes(input.jobId), 'the csv lacks the caller’s job');
  },

  // A long canary cancelled from its page: the timeline shows cancelled and the diagram highlights it.
  async cancel(page) {
    await signInAs(page, input.token);
    await page.goto(`${base}/console/#/jobs/${input.jobId}`);
    await page.locator('#diagram svg').waitFor({ timeout: T });
    await page.locator('#diagram g.state.current[data-state="running"]').waitFor({ timeout: T });
    check(await page.locator('#diagram g.state').count() === input.states.length, 'the diagram lacks states');
    await page.locator('#timeline li[data-to="running"]').waitFor({ timeout: T });
    const cancel = page.locator('#job-actions button[data-transition="cancel"]');
    await cancel.focus();
    await page.keyboard.press('Enter');
    await page.locator('#timeline li[data-to="cancelled"]').waitFor({ timeout: T });
    await page.locator('#diagram g.state.current[data-state="cancelled"]').waitFor({ timeout: T });
    check(await page.locator('#job-actions button[data-transition]').count() === 0, 'a transition is still offered');
    await page.locator('#job-state [data-state="cancelled"]').waitFor();
  },

  // An import with one bad row: its error in the table, the failed rows downloaded; the fixed file parsed,
  // confirmed and imported.
  async imports(page) {
    await signInAs(page, input.token);
    await page.locator('nav a', { hasText: 'Imports' }).click();
    await page.locator('#new-import').waitFor();
    await page.getByLabel('Resource').selectOption(input.resource);
    await page.getByLabel('File to import').setInputFiles({ name: 'books-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(input.badCsv) });
    await page.locator('#new-import button[type=submit]').click();
    const errors = page.locator('#row-errors');
    await errors.locator('td', { hasText: input.badValue }).waitFor({ timeout: T });
    const [failed] = await Promise.all([page.waitForEvent('download'), page.locator('#failed-rows').click()]);
    const failedFile = path.join(outDir, `failed-rows-${Date.now()}.csv`);
    await failed.saveAs(failedFile);
    check(readFileSync(failedFile, 'utf8').includes(input.badValue), 'the failed rows lack the bad row');
    await page.locator('a', { hasText: 'New import' }).click();
    await page.locator('#new-import').waitFor();
    await page.getByLabel('Resource').selectOption(input.resource);
    await page.getByLabel('File to import').setInputFiles({ name: 'books-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(input.goodCsv) });
    await page.locator('#new-import button[type=submit]').click();
    const confirm = page.locator('#import-actions button[data-transition="confirm"]');
    await confirm.waitFor({ timeout: T });
    check(await page.locator('#import-counts td[data-count="new"]').textContent() === String(input.rows), 'the dry run does not count the new rows');
    check(await page.locator('#row-errors').count() === 0, 'the fixed file shows errors');
    await confirm.focus();
    await page.keyboard.press('Enter');
    await page.locator('#import-state [data-state="imported"]').waitFor({ timeout: T });
    check(await page.locator('#import-counts td[data-count="new"]').textContent() === String(input.rows), 'the import does not count the new rows');
  },

  // An export of chosen columns as csv: its bar at 100 % and the file with just those columns.
  async exports(page) {
    await signInAs(page, input.token);
    await page.locator('nav a', { hasText: 'Exports' }).click();
    await page.locator('#new-export').waitFor();
    await page.getByLabel('Resource').selectOption(input.resource);
    await page.waitForURL(new RegExp(`resource=${input.resource}`));
    await page.locator('#new-export').waitFor();
    for (const box of await page.locator('#new-export fieldset input[type=checkbox]').all()) {
      if (!input.columns.includes(await box.getAttribute('value'))) await box.uncheck();
    }
    await page.getByLabel('Format').selectOption('csv');
    await page.locator('#new-export button[type=submit]').click();
    const watch = page.locator('#new-export .watch').first();
    await watch.locator('button.download').waitFor({ timeout: T });
    check(await barValue(watch.locator('progress')) === 100, 'the export bar did not reach 100');
    const [download] = await Promise.all([page.waitForEvent('download'), watch.locator('button.download').click()]);
    const file = path.join(outDir, `export-${Date.now()}.csv`);
    await download.saveAs(file);
    const first = readFileSync(file, 'utf8').split(/\r?\n/)[0];
    check(first === input.columns.join(','), `unexpected header: ${first}`);
  },

  // Another user's job, and a job that does not exist, are the same not-found page.
  async notFound(page) {
    expect(404);
    await signInAs(page, input.token);
    for (const id of [input.othersJob, input.missingJob]) {
      await page.goto(`${base}/console/#/jobs/${id}`);
      await page.locator('[data-testid="not-found"]').waitFor({ timeout: T });
      check(!(await page.content()).includes(input.otherOwner), 'the other owner is shown');
      check(await page.locator('h1').textContent() === 'Not found', 'not the not-found page');
    }
  },

  // Upload a file, archive it with a report, watch it, download it (a zip: PK magic).
  async archive(page) {
    await signInAs(page, input.token);
    await page.locator('nav a', { hasText: 'Archives' }).click();
    await page.locator('#upload').waitFor();
    expect(400);
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, console\n') });
    await page.locator('#upload button').click();
    const entry = page.locator('.entries .entry', { hasText: 'hello.txt' });
    await entry.waitFor({ timeout: T });
    // No entry chosen: the API's refusal is shown by the entries.
    await page.getByLabel('Name').fill('console-week');
    await page.locator('#new-archive button[type=submit]').click();
    await page.locator('#new-archive .error', { hasText: /entr/i }).first().waitFor({ timeout: T });
    await entry.locator('input[type=checkbox]').check();
    await page.getByLabel('Backend').selectOption('zip');
    await page.locator('#new-archive button[type=submit]').click();
    const watch = page.locator('#new-archive .watch').first();
    await watch.locator('[data-state="ready"]').waitFor({ timeout: T });
    check(await barValue(watch.locator('progress')) === 100, 'the archive bar did not reach 100');
    const [download] = await Promise.all([page.waitForEvent('download'), watch.locator('button.download').click()]);
    check(download.suggestedFilename() === 'console-week.zip', `unexpected name ${download.suggestedFilename()}`);
    const file = path.join(outDir, `archive-${Date.now()}.zip`);
    await download.saveAs(file);
    check(readFileSync(file).subarray(0, 2).toString() === 'PK', 'not a zip');
  },

  // Statistics: the tree of the latest values, one key's line chart, a pattern's segment values, a bad pattern.
  async statistics(page) {
    await signInAs(page, input.token);
    await page.goto(`${base}/console/#/statistics?endpoint=${encodeURIComponent(input.endpoint)}`);
    const branch = page.locator('#tree details[data-key="sales"]');
    await branch.waitFor({ timeout: T });
    await branch.locator('> summary').focus();
    await page.keyboard.press('Enter');
    await page.locator('#tree details[data-key="sales.by_region"] > summary').click();
    await page.locator('#tree details[data-key="sales.by_region.north"] > summary').click();
    const leaf = page.locator('#tree li[data-key="sales.by_region.north.total"]');
    await leaf.waitFor();
    check((await leaf.textContent()).includes('7'), 'the latest value is not shown');
    await leaf.locator('button').click();
    await page.locator('#chart svg[aria-label="sales.by_region.north.total over time, 2 values"]').waitFor({ timeout: T });
    check(await page.locator('#chart circle').count() === 2, 'the chart lacks points');
    expect(400);
    const pattern = page.getByLabel('Pattern');
    await pattern.fill('sales.by_region.{region}.total');
    await pattern.press('Enter');
    await page.locator('#segments li', { hasText: 'south' }).waitFor({ timeout: T });
    check((await page.locator('#segments li').allTextContents()).join(',') === 'north,south', 'wrong segment values');
    await pattern.fill('sales.{region');
    await pattern.press('Enter');
    await page.locator(`#${await pattern.getAttribute('id')}-error`).filter({ hasText: /./ }).waitFor({ timeout: T });
  },

  // Operations: queue depth and jobs per state per kind, and the recent error the test made.
  async operations(page) {
    await signInAs(page, input.token);
    await page.locator('nav a', { hasText: 'Operations' }).click();
    await page.locator('#queues tr[data-kind="canary"]').waitFor({ timeout: T });
    for (const kind of input.kinds) check(await page.locator(`#queues tr[data-kind="${kind}"]`).count() === 1, `no queue row for ${kind}`);
    // The broker's counts are there: a number of dead letters, not the dash shown when the broker cannot say.
    check(/^\d+$/.test(await page.locator('#queues tr[data-kind="canary"] td[data-dead-letters]').getAttribute('data-dead-letters')),
      'no dead-letter count');
    await page.locator(`#recent-errors a[href="#/jobs/${input.failedJob}"]`).waitFor({ timeout: T });
    check((await page.locator('#recent-errors').textContent()).includes('canary failed on request')
      || (await page.locator('#recent-errors').textContent()).length > 0, 'no error message');
  },

  // A non-admin sees no admin pages, and typing their address shows they are for admins.
  async notAdmin(page) {
    expect(403);
    await signInAs(page, input.token);
    check(await page.locator('nav a', { hasText: 'Operations' }).count() === 0, 'a user is offered Operations');
    await page.goto(`${base}/console/#/operations`);
    await page.locator('#forbidden').waitFor({ timeout: T });
    await page.goto(`${base}/console/#/statistics`);
    await page.locator('#forbidden').waitFor({ timeout: T });
  },
};

const browser = await chromium.launch({ executablePath: input.chromium, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
const page = await context.newPage();
const problems = [];
page.on('console', (m) => {
  if (m.type() !== 'error') return;
  const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(m.text());
  if (!status || !expected.has(Number(status[1]))) problems.push(`console: ${m.text()}`);
});
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.setDefaultTimeout(T);
let failed = null;
try {
  if (!scenarios[scenario]) throw new Error(`no scenario ${scenario}; known: ${Object.keys(scenarios)}`);
  await scenarios[scenario](page);
  check(problems.length === 0, `the browser reported errors:\n${problems.join('\n')}`);
} catch (e) {
  failed = e;
}
if (failed) {
  const shot = path.join(outDir, `${scenario}-failure.png`);
  await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
  console.error(`FAILED ${scenario}: ${failed.message}\n${failed instanceof Check ? '' : failed.stack}`);
  if (problems.length) console.error(`browser errors:\n${problems.join('\n')}`);
  console.error(`screenshot: ${shot}`);
} else {
  if (input.screenshot) await page.screenshot({ path: path.resolve(input.screenshot) });
  console.log(`PASSED ${scenario}`);
}
await browser.close();
process.exit(failed ? 1 : 0);
