// The built page in Chromium: train circles with He initialization and Adam until the displayed dev
// accuracy passes 90 %, with a loss curve, a screenshot and no errors; then the other two tabs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROOT, HANG_MS, type OpenPage, openPlayground } from './browser';

const SCREENSHOT = join(APP_ROOT, 'test-results', 'playground-training.png');

async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Ready'), null, { timeout: HANG_MS });
}

/** The displayed dev accuracy as a fraction, or NaN before the first evaluation. */
async function devAccuracy(page: Page): Promise<number> {
  const text = (await page.textContent('#dev-accuracy')) ?? '';
  return Number.parseFloat(text) / 100;
}

describe('the playground page', () => {
  let open: OpenPage;

  beforeAll(async () => {
    open = await openPlayground();
  });

  afterAll(async () => {
    await open?.close();
  });

  it('trains circles with He init and Adam past 90% dev accuracy, draws the loss curve, and logs no errors', async () => {
    const { page, errors } = open;
    await waitForReady(page);
    await page.click('[data-dataset="circles"]');
    await page.selectOption('#control-init', 'he');
    await page.selectOption('#control-optimizer', 'adam');
    await waitForReady(page);
    expect(await page.getAttribute('[data-dataset="circles"]', 'aria-selected')).toBe('true');
    const before = await devAccuracy(page);
    expect(before).toBeLessThan(0.9);

    await page.click('#play');
    await page.waitForFunction(() => Number.parseFloat(document.getElementById('dev-accuracy')?.textContent ?? '') > 90, null, { timeout: HANG_MS });
    await page.click('#play');
    expect(await devAccuracy(page)).toBeGreaterThan(0.9);
    expect(Number(await page.getAttribute('#loss-chart', 'data-points'))).toBeGreaterThan(0);
    expect(Number(await page.textContent('#iteration'))).toBeGreaterThan(0);
    await expect(page.textContent('#verdict')).resolves.toMatch(/bias|variance|good/);

    await page.click('#grad-check');
    await page.waitForSelector('#grad-check-value', { timeout: HANG_MS });
    expect(Number(await page.textContent('#grad-check-value'))).toBeLessThan(1e-5);

    expect(await page.getAttribute('#status', 'class')).not.toMatch(/error/);
    mkdirSync(join(APP_ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('loads the MNIST digits in the training worker and in tuning trials, and trains on them', async () => {
    const { page, errors } = open;
    await page.click('[data-dataset="mnist"]');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Ready'), null, { timeout: HANG_MS });
    expect(await page.textContent('#model-summary')).toMatch(/784 inputs · 10 classes/);
    expect(await page.isVisible('#digits')).toBe(true);
    expect(await page.isVisible('#boundary')).toBe(false);
    for (let i = 0; i < 30; i++) await page.click('#step');
    await page.waitForFunction(() => document.getElementById('iteration')?.textContent === '30', null, { timeout: HANG_MS });
    // Thirty mini-batches of 32 already beat chance (10 %) by far on the dev digits.
    await page.waitForFunction(() => Number.parseFloat(document.getElementById('dev-accuracy')?.textContent ?? '') > 40, null, { timeout: HANG_MS });
    expect(await page.getAttribute('#status', 'class')).not.toMatch(/error/);
    await page.screenshot({ path: join(APP_ROOT, 'test-results', 'playground-mnist.png') });
    // Tuning trials load the digits in their own workers too.
    await page.click('[data-tab="tuning"]');
    await page.fill('#tuning-trials', '2');
    await page.fill('#tuning-epochs', '1');
    await page.click('#tuning-start');
    await page.waitForFunction(() => /^(Done|Search stopped)/.test(document.getElementById('tuning-status')?.textContent ?? ''), null, { timeout: HANG_MS });
    expect(await page.textContent('#tuning-status')).toMatch(/^Done: best dev accuracy/);
    // Back to circles, which the tuning test below searches on.
    await page.click('[data-tab="train"]');
    await page.click('[data-dataset="circles"]');
    await waitForReady(page);
    expect(errors).toEqual([]);
  });

  it('races the four optimizers on a surface', async () => {
    const { page, errors } = open;
    await page.click('[data-tab="paths"]');
    await page.click('[data-surface="rosenbrock"]');
    await page.click('#race-play');
    await page.waitForFunction(() => Number((document.getElementById('race-status')?.textContent ?? '').replace('step ', '')) >= 60, null, { timeout: HANG_MS });
    await page.click('#race-play');
    const values = await page.$$eval('#race-legend tbody td.num', (cells) => cells.map((c) => c.textContent ?? ''));
    expect(values).toHaveLength(4);
    // Every runner moved downhill from the start, f(−1.5, 2) = 12.5.
    for (const v of values) expect(Number(v)).toBeLessThan(12.5);
    await page.screenshot({ path: join(APP_ROOT, 'test-results', 'playground-paths.png') });
    expect(errors).toEqual([]);
  });

  it('runs a random search in Web Workers and plots its trials', async () => {
    const { page, errors } = open;
    await page.click('[data-tab="tuning"]');
    await page.fill('#tuning-trials', '4');
    await page.fill('#tuning-epochs', '2');
    await page.click('#tuning-start');
    await page.waitForFunction(() => document.getElementById('tuning-status')?.textContent?.startsWith('Done'), null, { timeout: HANG_MS });
    expect(await page.$$eval('#tuning-table tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
    await page.screenshot({ path: join(APP_ROOT, 'test-results', 'playground-tuning.png') });
    expect(errors).toEqual([]);
  });
});
