/**
 * The instructor's kit (issue 14 §3), end to end on the built site:
 * - an instructor writes a two-step lesson from the cluster on screen — step 1's check picked
 *   from a trace (VXLAN VNI 1), step 2's from the selected Service (its endpoints after a
 *   `kubectl scale` typed in the terminal) — exports it, and the CLI's `podpath lesson validate`
 *   accepts the downloaded file;
 * - the class view on a projector shows the prediction a learner would be asked, then its reveal
 *   with the packet in view.
 * Screenshots: test-results/screenshots/lessonAuthor-*.png (per viewport).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import yaml from 'js-yaml';
import { openFresh } from './laptop';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/lessonAuthor-${name}-${page.viewportSize()!.width}.png` });

async function shell(page: Page, line: string) {
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

test('@laptop an instructor authors a two-step lesson from the current cluster, exports it and podpath lesson validate accepts it', async ({ page }, info) => {
  const errors = await openFresh(page, 'lesson-author');
  await page.getByTestId('tab-author').click();
  await page.getByTestId('author-title').fill('Across nodes and behind a Service');
  await page.getByTestId('author-start').click();

  // Step 1: trace client → a web pod on worker-2 from the Trace panel (recorded), then pick the check.
  await page.getByTestId('author-step-title').fill('Across nodes');
  await page.getByTestId('author-task').fill('Trace client → the web pod on worker-2.');
  await page.getByTestId('author-texts').click();
  await page.getByTestId('author-notice').fill('The packet left worker-1 inside a VXLAN header, VNI 1.');
  await page.getByTestId('tab-trace').click();
  await page.getByTestId('trace-from').selectOption('default/client');
  const remote = await page.getByTestId('trace-to').locator('option', { hasText: /^default\/web-.*worker-2\)$/ }).first().getAttribute('value');
  await page.getByTestId('trace-to').selectOption(remote!);
  await page.getByTestId('trace-run').click();
  await page.getByTestId('tab-author').click();
  await expect(page.getByTestId('author-traces')).toContainText(`trace default/client → ${remote} icmp`);
  await page.getByTestId('author-choice-encap').click();
  await expect(page.getByTestId('author-check')).toContainText('The last trace was encapsulated VXLAN VNI 1');
  await shot(page, 'step1');

  // Step 2: scale web in the terminal (recorded), select the Service, pick "has 4 endpoints".
  await page.getByTestId('author-add-step').click();
  await page.getByTestId('author-step-title').fill('One more endpoint');
  await page.getByTestId('author-task').fill('Scale web to 4 replicas.');
  await shell(page, 'kubectl scale deployment web --replicas=4');
  await expect(page.getByTestId('author-commands')).toContainText('$ kubectl scale deployment web --replicas=4');
  await page.getByTestId('author-subject').selectOption('svc/default/web');
  await page.getByTestId('author-choice-svc-endpoints').click();
  await expect(page.getByTestId('author-check')).toContainText('Service web has 4 endpoints');
  await expect(page.getByTestId('author-problems')).toHaveCount(0);
  await shot(page, 'step2');

  // Export: the downloaded file is the lesson; the CLI validates it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('author-export').click()]);
  expect(download.suggestedFilename()).toBe('across-nodes-and-behind-a-service.yaml');
  const file = info.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const doc = yaml.load(readFileSync(file, 'utf8')) as { spec: { steps: { check: unknown; solution: unknown }[] } };
  expect(doc.spec.steps.map((s) => s.check)).toEqual([{ trace: { last: true, encap: { type: 'vxlan', vni: 1 } } }, { service: { name: 'web', endpoints: 4 } }]);
  expect(doc.spec.steps[1].solution).toEqual({ commands: ['kubectl scale deployment web --replicas=4'] });
  // The CLI exits 0 only when each check fails at its step's start and passes after its solution.
  const out = execFileSync('node', ['bin/podpath.mjs', 'lesson', 'validate', file], { encoding: 'utf8' });
  expect(out).toMatch(/ok|pass/i);

  // And the app says the same (the engine's validateLesson, per step).
  await page.getByTestId('author-validate').click();
  await expect(page.getByTestId('author-report')).toContainText('fails at its start, passes after its solution');
  await shot(page, 'validated');
  expect(errors).toEqual([]);
});

/** The packet's glyph on screen is inside the canvas. */
async function expectPacketInView(page: Page) {
  await page.waitForTimeout(600); // the glide and the camera's pan
  const layer = page.getByTestId('packet-layer');
  const at = (await layer.getAttribute('data-packet'))!.split(',').map(Number);
  const c = (await page.getByTestId('canvas').boundingBox())!;
  const l = (await layer.boundingBox())!;
  const x = l.x + at[0];
  const y = l.y + at[1];
  expect(x, `packet x ${x} in the canvas ${c.x}–${c.x + c.width}`).toBeGreaterThanOrEqual(c.x);
  expect(x).toBeLessThanOrEqual(c.x + c.width);
  expect(y, `packet y ${y} in the canvas ${c.y}–${c.y + c.height}`).toBeGreaterThanOrEqual(c.y);
  expect(y).toBeLessThanOrEqual(c.y + c.height);
}

test('@projector the class view shows the prediction a learner would be asked, then its reveal with the packet in view', async ({ page }) => {
  const errors = await openFresh(page, 'class-view');
  await page.getByTestId('lessons-button').click();
  await page.getByTestId('lesson-item-04-cross-node-vxlan').click();
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await page.locator('.topbar__brand').click();
  // C: the class view (presentation mode comes with it).
  await page.keyboard.press('c');
  const view = page.getByTestId('class-view');
  await expect(view).toBeVisible();
  await expect(page.getByTestId('exit-presentation')).toBeVisible();
  // Step 1 asks before the tunnel: the packet waits, the question and its choices show, nothing revealed.
  const predict = page.getByTestId('class-predict');
  await page.keyboard.press('PageDown'); // ask, or stop the packet before the hop in question
  await expect(predict).toHaveAttribute('data-phase', 'asking');
  await expect(page.getByTestId('class-question')).toContainText('Which device does it go through next?');
  expect(await predict.locator('.class-view__choice').count()).toBeGreaterThan(1);
  await expect(predict.locator('.is-right')).toHaveCount(0);
  await expect(predict.locator('.class-view__why')).toHaveCount(0);
  // Projector-readable: nothing in the view under 18 px.
  const sizes = await view.locator('p, li, h2, .class-view__choicetext').evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(18);
  await expectPacketInView(page);
  await shot(page, 'class-asking');

  // The clicker reveals: the true answer marked, why, and the packet goes on.
  const cursorBefore = await page.getByTestId('hop-caption').innerText();
  await page.keyboard.press('PageDown');
  await expect(predict).toHaveAttribute('data-phase', 'revealed');
  await expect(predict.locator('.is-right')).toHaveCount(1);
  await expect(predict.locator('.is-right')).toContainText('flannel.1');
  await expect(predict.locator('.is-right .class-view__why')).toContainText('Right');
  await expect(page.getByTestId('hop-caption')).not.toHaveText(cursorBefore);
  await expectPacketInView(page);
  await shot(page, 'class-revealed');
  // Nothing was recorded as a learner's answer.
  const progress = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith('podpath:lesson')).map(([, v]) => v).join(''));
  expect(progress).not.toContain('"chosen"');
  expect(errors).toEqual([]);
});
