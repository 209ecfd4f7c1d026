/**
 * A 1,000-node / 10,000-pod cluster on a classroom laptop (issue 13 point 11; @laptop: 1366×768
 * and 1280×720): opened from a share link it is loaded in the engine worker and drawn in steps,
 * with a note on the canvas meanwhile; it comes back on reload from autosave; the endpoint lists
 * are built when reached for. How fast is `npm run bench:ui`'s business (no timings here).
 * Screenshots: test-results/screenshots/big-<width>-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { bigScenario, shareHash } from '../../bench/ui/bigLoad';
import { openFresh } from './laptop';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/big-${page.viewportSize()!.width}-${name}.png` });

test('@laptop a 1,000-node share link loads off the main thread, is drawn in steps and comes back on reload', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = await openFresh(page, 'big');
  // The page records whether the worker ran (a Worker was made for the engine).
  await page.evaluate(() => {
    const W = window.Worker;
    (window as unknown as { __workers: string[] }).__workers = [];
    window.Worker = class extends W {
      constructor(url: string | URL, opts?: WorkerOptions) {
        super(url, opts);
        (window as unknown as { __workers: string[] }).__workers.push(opts?.name ?? '');
      }
    } as typeof Worker;
  });
  await page.evaluate((h) => (window.location.hash = h), shareHash(bigScenario()));
  // While it loads and draws, the canvas says so, and the page answers: the dock folds and unfolds.
  await expect(page.getByTestId('canvas-loading')).toBeVisible();
  await page.getByTestId('terminal-toggle').click();
  await page.getByTestId('terminal-toggle').click();
  await expect(page.getByTestId('cluster-facts')).toContainText('1000 nodes', { timeout: 120_000 });
  await expect(page.getByTestId('canvas-loading')).toHaveCount(0, { timeout: 120_000 });
  expect(await page.evaluate(() => (window as unknown as { __workers: string[] }).__workers)).toEqual(['podpath engine']);
  // Drawn: the first node boxes with their pods, at a readable zoom; the rest counted off-screen.
  await expect(page.getByTestId('k8snode-node-00000')).toBeVisible();
  await expect(page.locator('.react-flow__node-pod').first()).toBeVisible();
  await expect(page.getByTestId('partial-chip')).toBeVisible();
  // Only the boxes near the screen have their insides in the page.
  expect(await page.locator('.react-flow__node-pod').count()).toBeLessThan(400);
  await shot(page, 'share');

  // The endpoint list holds the chosen pod until it is reached for; then every pod and node.
  const from = page.getByTestId('trace-from');
  expect(await from.locator('option').count()).toBeLessThan(5);
  await from.focus();
  await expect.poll(() => from.locator('option').count()).toBeGreaterThan(10_000);

  // Reload: autosave brings it back (the worker loads it again).
  await page.waitForTimeout(1000);
  await page.reload();
  await expect(page.getByTestId('cluster-facts')).toContainText('1000 nodes', { timeout: 120_000 });
  await expect(page.getByTestId('canvas-loading')).toHaveCount(0, { timeout: 120_000 });
  await expect(page.getByTestId('k8snode-node-00000')).toBeVisible();
  await shot(page, 'reload');

  // Fit all reaches the boxes React Flow never put in the page (their size is given, windowFlow.ts).
  const zoom = () => page.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a);
  const before = await zoom();
  await page.getByTestId('fit-all').click();
  await expect.poll(zoom).toBeLessThan(before / 10);
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-level', 'overview');
  await page.getByRole('button', { name: 'Zoom in to see pods' }).click();
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-level', 'detail');
  expect(errors).toEqual([]);
});
