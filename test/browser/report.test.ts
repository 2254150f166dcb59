import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from './find-chromium.ts';
import { runWorldReport } from '../../sim/world/run-world-report.ts';
import { loadWorldScenario } from '../../sim/world/world-scenario.ts';

const ROOT = join(import.meta.dirname, '..', '..');
// The report and the screenshot stay in out/ for a human to look at.
const OUT = join(ROOT, 'out', 'browser-test');
// The packaged Chromium (@sparticuz/chromium, Linux x64), CHROME_PATH or an installed one.
const lookup = await findChromium();
// Where none can be had (e.g. Linux arm64 or macOS with no Chrome), a developer's run skips with
// one line saying why; CI never skips: a missing browser must not turn this check green there.
const skip = 'missing' in lookup && process.env['CI'] !== 'true';
if (skip) console.warn(`browser test skipped: ${lookup.missing} (set CHROME_PATH to run it)`);
let reportPath: string;

beforeAll(async () => {
  if ('missing' in lookup) return; // skipped, or failed by the test itself under CI
  const scenario = await loadWorldScenario(join(ROOT, 'sim', 'scenarios', 'default.yaml'));
  const result = await runWorldReport({
    scenario,
    outDir: OUT,
    durationMs: 2 * 3_600_000,
    store: 'memory',
    print: () => undefined,
  });
  reportPath = result.reportPath;
});

describe.skipIf(skip)('out/report.html in headless Chromium', () => {
  it('opens with no console errors, renders every chart, and is saved as a screenshot', async () => {
    if ('missing' in lookup) throw new Error(`CI=true and ${lookup.missing} (set CHROME_PATH).`);
    const { found } = lookup;
    const browser = await chromium
      .launch({
        executablePath: found.executablePath,
        headless: true,
        env: { ...process.env, ...found.env },
        args: [
          ...found.args,
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      })
      .catch((error: Error) => {
        throw new Error(`${found.source} did not start: ${error.message}`);
      });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
      // a self-contained report makes no request besides its own file
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });

      expect(await page.title()).toBe('Local world: orders-pipeline');
      const charts = page.locator('figure svg');
      expect(await charts.count()).toBe(5);
      // every chart is laid out with a real size and drew at least one line
      for (let i = 0; i < 5; i++) {
        const box = await charts.nth(i).boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(300);
        expect(await charts.nth(i).locator('path').count()).toBeGreaterThan(0);
      }
      expect(await page.locator('table.log tbody tr').count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(reportPath).href]);

      await mkdir(join(ROOT, 'out'), { recursive: true });
      const screenshot = join(ROOT, 'out', 'report.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
